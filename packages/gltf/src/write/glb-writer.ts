import { Extension, Format, WebIO, type Document, type JSONDocument, type ReaderContext, type WriterContext } from '@gltf-transform/core';
import { KHRLightsPunctual, KHRMaterialsEmissiveStrength, KHRMaterialsUnlit, type Light } from '@gltf-transform/extensions';
import { GltfExportError } from '../errors.js';
import { KHR_NODE_VISIBILITY, KHRNodeVisibility } from './node-visibility.js';
import type { NodeTable } from './node-table.js';

/** Every extension the exporter may use; all registered for writing (G-EXT-1). */
export const EXPORT_EXTENSIONS = [KHRLightsPunctual, KHRMaterialsUnlit, KHRMaterialsEmissiveStrength, KHRNodeVisibility];

const CAPTURE = 'SCENESYNC_sync_capture';

/**
 * glTF-Transform's writer is synchronous, but its public entry points return promises. This internal
 * extension's write hook, which runs at the end of the writer, keeps a reference to the finished JSON
 * document and removes its own name from `extensionsUsed`, so the GLB can be assembled without waiting
 * for a microtask: the exporter then works the same on a worker, inside a synchronous call, and in a
 * tool. It never reaches the output file.
 */
class SyncWriteCapture extends Extension {
  static override EXTENSION_NAME = CAPTURE;
  override extensionName = CAPTURE;
  captured: JSONDocument | undefined;
  /** The node hierarchy to write into this document's JSON. */
  nodes: NodeTable | undefined;
  /** A per-export random string standing in for the node array until the JSON text is assembled. */
  placeholder = '';
  /** The node array as JSON text. */
  nodesJson: string | undefined;

  read(_context: ReaderContext): this {
    return this;
  }

  write(context: WriterContext): this {
    const json = context.jsonDoc.json;
    if (json.extensionsUsed) json.extensionsUsed = json.extensionsUsed.filter((n) => n !== CAPTURE);
    this.captured = context.jsonDoc;
    if (this.nodes) this.nodesJson = writeNodes(context, this.nodes, this.document.getRoot().listExtensionsUsed(), this.placeholder);
    return this;
  }
}

const io = new WebIO().registerExtensions([...EXPORT_EXTENSIONS, SyncWriteCapture]);

const GLB_MAGIC = 0x46546c67;
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

/**
 * Writes a glTF-Transform document as GLB bytes, synchronously.
 *
 * @throws GltfExportError `WRITE_FAILED` when glTF-Transform rejects the document.
 */
export function writeGlb(doc: Document, nodes?: NodeTable): Uint8Array {
  const capture = doc.createExtension(SyncWriteCapture);
  capture.captured = undefined;
  capture.nodes = nodes;
  capture.nodesJson = undefined;
  // Random, so no name in the document can contain it.
  capture.placeholder = `scenesync-nodes-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  let failure: unknown;
  io.writeJSON(doc, { format: Format.GLB }).catch((e: unknown) => {
    failure = e;
  });
  capture.dispose();
  const jsonDoc = capture.captured as JSONDocument | undefined;
  if (!jsonDoc) {
    throw new GltfExportError('WRITE_FAILED', 'glTF-Transform could not write the document; this is a bug in @scenesync/gltf, please report it with the scene.', { cause: failure });
  }
  return assembleGlb(jsonDoc, capture.nodesJson === undefined ? undefined : { placeholder: capture.placeholder, text: capture.nodesJson });
}

/**
 * Writes the node rows as `json.nodes`, one scene holding the roots, and node extensions
 * (KHR_lights_punctual light index, KHR_node_visibility), using the indices glTF-Transform gave the
 * meshes, cameras and lights it wrote. The node array is serialised here, straight to JSON text (one
 * string per node, no intermediate objects: it is most of a large scene's JSON); `json.nodes` holds a
 * one-element placeholder that {@link assembleGlb} swaps for that text.
 */
function writeNodes(context: WriterContext, table: NodeTable, extensionsUsed: Extension[], placeholder: string): string {
  const json = context.jsonDoc.json;
  const lightsExt = extensionsUsed.find((e) => e.extensionName === KHRLightsPunctual.EXTENSION_NAME);
  const lightIndex = new Map<Light, number>();
  lightsExt?.listProperties().forEach((p, i) => lightIndex.set(p as Light, i));
  let anyHidden = false;
  const parts: string[] = new Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    let s = '{';
    if (row.name) s += `"name":${JSON.stringify(String(row.name))},`;
    if (row.translation) s += `"translation":[${row.translation[0]},${row.translation[1]},${row.translation[2]}],`;
    if (row.rotation) s += `"rotation":[${row.rotation[0]},${row.rotation[1]},${row.rotation[2]},${row.rotation[3]}],`;
    if (row.scale) s += `"scale":[${row.scale[0]},${row.scale[1]},${row.scale[2]}],`;
    // Every mesh and camera of the document was written, so their indices exist; checked anyway, since
    // an undefined here would make the whole file unparsable.
    const mesh = row.mesh && context.meshIndexMap.get(row.mesh);
    if (mesh !== undefined) s += `"mesh":${mesh},`;
    const camera = row.camera && context.cameraIndexMap.get(row.camera);
    if (camera !== undefined) s += `"camera":${camera},`;
    if (row.children) s += `"children":[${row.children.join(',')}],`;
    if (row.light || row.hidden) {
      const ext: string[] = [];
      const light = row.light && lightIndex.get(row.light);
      if (light !== undefined) ext.push(`"${KHRLightsPunctual.EXTENSION_NAME}":{"light":${light}}`);
      if (row.hidden) {
        ext.push(`"${KHR_NODE_VISIBILITY}":{"visible":false}`);
        anyHidden = true;
      }
      s += `"extensions":{${ext.join(',')}},`;
    }
    if (row.scenesync) s += `"extras":{"scenesync":{"id":${JSON.stringify(String(row.scenesync.id ?? ''))},"type":${JSON.stringify(String(row.scenesync.type))}}},`;
    parts[i] = s.length > 1 ? `${s.slice(0, -1)}}` : '{}';
  }
  json.nodes = [placeholder as never];
  json.scenes = [{ name: table.sceneName, nodes: table.roots }];
  json.scene = 0;
  if (anyHidden) json.extensionsUsed = [...(json.extensionsUsed ?? []), KHR_NODE_VISIBILITY].sort();
  return `[${parts.join(',')}]`;
}

/** GLB container: 12-byte header, JSON chunk (space padded), optional BIN chunk (zero padded). */
function assembleGlb(jsonDoc: JSONDocument, nodes: { placeholder: string; text: string } | undefined): Uint8Array {
  let text = JSON.stringify(jsonDoc.json);
  if (nodes) {
    const token = `["${nodes.placeholder}"]`;
    const at = text.indexOf(token);
    text = text.slice(0, at) + nodes.text + text.slice(at + token.length);
  }
  const jsonBytes = new TextEncoder().encode(text);
  const jsonLength = align4(jsonBytes.byteLength);
  const bin = Object.values(jsonDoc.resources)[0];
  const binLength = bin && bin.byteLength ? align4(bin.byteLength) : 0;
  const total = 12 + 8 + jsonLength + (binLength ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.byteLength, 20 + jsonLength);
  if (binLength && bin) {
    const o = 20 + jsonLength;
    view.setUint32(o, binLength, true);
    view.setUint32(o + 4, CHUNK_BIN, true);
    out.set(bin, o + 8);
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
