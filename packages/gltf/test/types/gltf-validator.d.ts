declare module 'gltf-validator' {
  interface ValidatorMessage {
    code: string;
    message: string;
    severity: number;
    pointer?: string;
  }
  interface ValidatorReport {
    issues: { numErrors: number; numWarnings: number; numInfos: number; numHints: number; messages: ValidatorMessage[] };
  }
  export function validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<ValidatorReport>;
  const validator: { validateBytes: typeof validateBytes };
  export default validator;
}
