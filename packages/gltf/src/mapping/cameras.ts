import type { Camera, Document } from '@gltf-transform/core';
import type { PropReader } from '../godot/props.js';

/** Something about a camera that glTF could not carry; the caller reports it. */
export interface CameraNote {
  property: string;
  message: string;
}

const PROJECTION_PERSPECTIVE = 0;
const PROJECTION_ORTHOGONAL = 1;
const KEEP_WIDTH = 0;

/** What a Camera3D becomes in glTF, as plain data (so it can be kept between exports). */
export type CameraParams =
  | { readonly type: 'perspective'; readonly yfov: number; readonly znear: number; readonly zfar: number }
  | { readonly type: 'orthographic'; readonly mag: number; readonly znear: number; readonly zfar: number };

/**
 * Reads a Camera3D as glTF camera parameters, following Godot's GLTFCamera.from_node (G-CAM-1): perspective yfov = fov in
 * radians (Godot's fov is vertical with the default keep_aspect = KEEP_HEIGHT), orthographic xmag =
 * ymag = size / 2 (Godot's size is a diameter, glTF's mags are radii), znear/zfar = near/far. glTF has
 * no aspect ratio for a Godot camera (it follows the viewport), so none is written.
 */
export function readCamera(r: PropReader, notes: CameraNote[]): CameraParams {
  let params: CameraParams;
  const projection = r.int('projection', PROJECTION_PERSPECTIVE);
  let near = r.number('near', 0.05);
  let far = r.number('far', 4000);
  if (!(near > 0)) {
    notes.push({ property: 'near', message: `near ${near} must be positive in glTF; written as 0.001` });
    near = 0.001;
  }
  if (!(far > near)) {
    notes.push({ property: 'far', message: `far ${far} must exceed near in glTF; written as near × 1000` });
    far = near * 1000;
  }
  if (projection === PROJECTION_ORTHOGONAL) {
    r.use('fov');
    let size = r.number('size', 1);
    if (!(size > 0)) {
      notes.push({ property: 'size', message: `size ${size} must be positive; written as 1` });
      size = 1;
    }
    params = { type: 'orthographic', mag: size / 2, znear: near, zfar: far };
  } else {
    if (projection !== PROJECTION_PERSPECTIVE) {
      notes.push({ property: 'projection', message: 'frustum projection has no glTF equivalent; written as a perspective camera with the same fov' });
      r.use('frustum_offset');
    }
    r.use('size');
    let fov = r.number('fov', 75);
    if (!(fov > 0 && fov < 180)) {
      notes.push({ property: 'fov', message: `fov ${fov} is outside (0, 180); clamped` });
      fov = Math.min(179, Math.max(1, Number.isFinite(fov) ? fov : 75));
    }
    params = { type: 'perspective', yfov: (fov * Math.PI) / 180, znear: near, zfar: far };
  }
  if (r.int('keep_aspect', 1) === KEEP_WIDTH) {
    notes.push({ property: 'keep_aspect', message: 'keep_aspect = KEEP_WIDTH makes fov horizontal; glTF yfov is vertical and the aspect is unknown, so fov was written as yfov' });
  }
  return params;
}

/** Adds the camera described by `params` to `doc`. */
export function createCamera(doc: Document, params: CameraParams, name: string): Camera {
  const cam = doc.createCamera(name).setZNear(params.znear).setZFar(params.zfar);
  if (params.type === 'orthographic') return cam.setType('orthographic').setXMag(params.mag).setYMag(params.mag);
  return cam.setType('perspective').setYFov(params.yfov).setAspectRatio(null);
}
