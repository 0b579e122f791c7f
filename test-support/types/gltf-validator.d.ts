/** The part of the Khronos glTF validator's API the tests use (the package ships no types). */
declare module 'gltf-validator' {
  /** One finding of the validator. */
  export interface ValidatorMessage {
    code: string;
    message: string;
    severity: number;
    pointer?: string;
  }
  /** The validation report. */
  export interface ValidatorReport {
    issues: { numErrors: number; numWarnings: number; numInfos: number; numHints: number; messages: ValidatorMessage[] };
  }
  /** Validates a GLB or glTF JSON held in memory. */
  export function validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<ValidatorReport>;
  const validator: { validateBytes: typeof validateBytes };
  export default validator;
}
