import { Extension, Format, WebIO, type Document, type JSONDocument, type ReaderContext, type WriterContext } from '@gltf-transform/core';
import { KHRLightsPunctual, KHRMaterialsEmissiveStrength, KHRMaterialsUnlit, KHRTextureTransform, type Light } from '@gltf-transform/extensions';
import { GltfExportError } from '../errors.js';
import { KHR_NODE_VISIBILITY, KHRNodeVisibility } from './node-visibility.js';
import { utf8 } from './byte-writer.js';
import { align4, writeMeshes } from './mesh-table.js';
import type { NodeTable } from './node-table.js';
import { writeAnimations } from './animation-writer.js';

/** Every extension the exporter may use; all registered for writing (G-EXT-1). */
export const EXPORT_EXTENSIONS = [KHRLightsPunctual, KHRMaterialsUnlit, KHRMaterialsEmissiveStrength, KHRTextureTransform, KHRNodeVisibility];

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
  /** The node array as UTF-8 JSON. */
  nodesJson: Uint8Array | undefined;
  /** Mesh geometry to copy into the binary chunk after glTF-Transform's data (G-WRITE-3). */
  geometry: ReturnType<typeof writeMeshes> | undefined;

  read(_context: ReaderContext): this {
    return this;
  }

  write(context: WriterContext): this {
    const json = context.jsonDoc.json;
    if (json.extensionsUsed) json.extensionsUsed = json.extensionsUsed.filter((n) => n !== CAPTURE);
    this.captured = context.jsonDoc;
    if (this.nodes) {
      this.nodesJson = writeNodes(context, this.nodes, this.document.getRoot().listExtensionsUsed());
      context.jsonDoc.json.nodes = [this.placeholder as never];
      writeAnimations(context, this.nodes);
      this.geometry = writeMeshes(context, this.nodes.meshes, Object.values(context.jsonDoc.resources)[0]?.byteLength ?? 0);
    }
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
  capture.geometry = undefined;
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
  return assembleGlb(jsonDoc, capture.nodesJson === undefined ? undefined : { placeholder: capture.placeholder, bytes: capture.nodesJson }, capture.geometry);
}

/**
 * Writes the node rows as `json.nodes`, one scene holding the roots, and node extensions
 * (KHR_lights_punctual light index, KHR_node_visibility), using the indices glTF-Transform gave the
 * meshes, cameras and lights it wrote. The node array is serialised here, straight to JSON text (no
 * intermediate objects: it is most of a large scene's JSON); `json.nodes` holds a one-element
 * placeholder that {@link assembleGlb} swaps for that text.
 */
function writeNodes(context: WriterContext, table: NodeTable, extensionsUsed: Extension[]): Uint8Array {
  const json = context.jsonDoc.json;
  const lightsExt = extensionsUsed.find((e) => e.extensionName === KHRLightsPunctual.EXTENSION_NAME);
  const lightIndex = new Map<Light, number>();
  lightsExt?.listProperties().forEach((p, i) => lightIndex.set(p as Light, i));
  let anyHidden = false;
  // One string built by concatenation and encoded once: V8 keeps it as a rope until the encoder
  // flattens it, which beat copying each node's text into a byte buffer by a third.
  let out = '[';
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    out += i > 0 ? ',{' : '{';
    out += row.json;
    // Each member after the first is preceded by a comma.
    let comma = row.json.length > 0;
    // Every mesh and camera of the document was written, so their indices exist; checked anyway, since
    // an undefined here would make the whole file unparsable.
    const mesh = row.mesh;
    if (mesh !== undefined) {
      out += (comma ? ',"mesh":' : '"mesh":') + mesh;
      comma = true;
    }
    const camera = row.camera && context.cameraIndexMap.get(row.camera);
    if (camera !== undefined) {
      out += (comma ? ',"camera":' : '"camera":') + camera;
      comma = true;
    }
    if (row.children) {
      out += (comma ? ',"children":[' : '"children":[') + row.children.join(',') + ']';
      comma = true;
    }
    const light = row.light && lightIndex.get(row.light);
    if (light !== undefined || row.hidden) {
      out += comma ? ',"extensions":{' : '"extensions":{';
      if (light !== undefined) out += `"${KHRLightsPunctual.EXTENSION_NAME}":{"light":${light}}`;
      if (row.hidden) {
        if (light !== undefined) out += ',';
        out += `"${KHR_NODE_VISIBILITY}":{"visible":false}`;
        anyHidden = true;
      }
      out += '}';
    }
    out += '}';
  }
  out += ']';
  json.scenes = [{ name: table.sceneName, nodes: table.roots }];
  json.scene = 0;
  if (anyHidden) json.extensionsUsed = [...(json.extensionsUsed ?? []), KHR_NODE_VISIBILITY].sort();
  return textEncoder.encode(out);
}

const textEncoder = new TextEncoder();

/**
 * GLB container: 12-byte header, JSON chunk (space padded), optional BIN chunk (zero padded). The node
 * array, when given, replaces the placeholder in `json.nodes`; it is copied in as bytes.
 */
function assembleGlb(jsonDoc: JSONDocument, nodes: { placeholder: string; bytes: Uint8Array } | undefined, geometry: ReturnType<typeof writeMeshes> | undefined): Uint8Array {
  let head = JSON.stringify(jsonDoc.json);
  let tail = '';
  let middle: Uint8Array | undefined;
  if (nodes) {
    const token = `["${nodes.placeholder}"]`;
    const at = head.indexOf(token);
    tail = head.slice(at + token.length);
    head = head.slice(0, at);
    middle = nodes.bytes;
  }
  const headBytes = utf8(head);
  const tailBytes = utf8(tail);
  const jsonByteLength = headBytes.length + (middle?.length ?? 0) + tailBytes.length;
  const jsonLength = align4(jsonByteLength);
  const bin = Object.values(jsonDoc.resources)[0];
  const binLength = align4(Math.max(bin?.byteLength ?? 0, geometry?.byteLength ?? 0));
  const total = 12 + 8 + jsonLength + (binLength ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, CHUNK_JSON, true);
  out.set(headBytes, 20);
  if (middle) out.set(middle, 20 + headBytes.length);
  out.set(tailBytes, 20 + headBytes.length + (middle?.length ?? 0));
  out.fill(0x20, 20 + jsonByteLength, 20 + jsonLength);
  if (binLength) {
    const o = 20 + jsonLength;
    view.setUint32(o, binLength, true);
    view.setUint32(o + 4, CHUNK_BIN, true);
    if (bin) out.set(bin, o + 8);
    for (const [offset, bytes] of geometry?.chunks ?? []) out.set(bytes, o + 8 + offset);
  }
  return out;
}


