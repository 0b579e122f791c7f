import { NodeIO, type Document } from '@gltf-transform/core';
import validator from 'gltf-validator';
import { EXPORT_EXTENSIONS } from '../../src/write/glb-writer.js';

const io = new NodeIO().registerExtensions(EXPORT_EXTENSIONS);

/** Reads GLB bytes back with glTF-Transform (every extension the exporter writes registered). */
export function readGlb(glb: Uint8Array): Promise<Document> {
  return io.readBinary(glb);
}

/** The glTF JSON chunk of a GLB, parsed (to check what is literally in the file). */
export function glbJson(glb: Uint8Array): Record<string, any> {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + length)));
}

/** Runs the Khronos glTF validator and returns its issue summary plus the messages that are not infos. */
export async function validate(glb: Uint8Array): Promise<{ errors: number; warnings: number; messages: string[] }> {
  const report = await validator.validateBytes(glb, { maxIssues: 200 });
  const messages = report.issues.messages.filter((m: { severity: number }) => m.severity < 2).map((m: { code: string; message: string; pointer?: string }) => `${m.code} ${m.pointer ?? ''}: ${m.message}`);
  return { errors: report.issues.numErrors, warnings: report.issues.numWarnings, messages };
}
