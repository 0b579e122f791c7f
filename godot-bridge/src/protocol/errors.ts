/** Error codes of the bridge protocol (docs/bridge-protocol.md §Errors). */
export type BridgeErrorCode = 'BAD_MESSAGE' | 'HELLO_FIRST' | 'BAD_TOKEN' | 'BAD_VERSION' | 'OP_REFUSED';

/** A protocol violation by the other side; the sidecar turns it into an `error` reply (B-ERR-1). */
export class BridgeProtocolError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string) {
    super(message);
    this.name = 'BridgeProtocolError';
    this.code = code;
  }
}
