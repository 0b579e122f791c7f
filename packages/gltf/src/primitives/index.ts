import type { PropReader } from '../godot/props.js';
import { boxMesh } from './box.js';
import { capsuleMesh } from './capsule.js';
import { csgBox, csgCylinder, csgSphere, csgTorus } from './csg.js';
import { cylinderMesh } from './cylinder.js';
import { flipFaces, type MeshArrays } from './mesh-arrays.js';
import { planeMesh } from './plane.js';
import { prismMesh } from './prism.js';
import { sphereMesh } from './sphere.js';
import { torusMesh } from './torus.js';

/** Godot's primitive mesh classes this package generates (G-MESH-2). */
export const PRIMITIVE_MESH_TYPES = [
  'BoxMesh',
  'SphereMesh',
  'CylinderMesh',
  'CapsuleMesh',
  'PlaneMesh',
  'QuadMesh',
  'PrismMesh',
  'TorusMesh',
] as const;

/** Godot's CSG primitive node classes this package generates (G-CSG-1). */
export const CSG_SHAPE_TYPES = ['CSGBox3D', 'CSGSphere3D', 'CSGCylinder3D', 'CSGTorus3D'] as const;

/**
 * A generated primitive, or why there is none. `vertexEstimate` lets the caller refuse hostile sizes
 * before any memory is spent.
 */
export type PrimitiveResult =
  | { readonly ok: true; readonly arrays: MeshArrays }
  | { readonly ok: false; readonly reason: string; readonly tooLarge?: boolean };

// Godot clamps segment counts in its setters; the upper bound is ours, against hostile documents.
const MAX_SEGMENTS = 4096;

/**
 * Generates a Godot primitive mesh resource (BoxMesh ... TorusMesh) from its properties, with Godot's
 * defaults for what is absent, and applies `flip_faces`. Arrays are in Godot winding.
 */
export function generatePrimitiveMesh(type: string, r: PropReader, maxVertices: number): PrimitiveResult {
  let estimate = 0;
  let build: () => MeshArrays | undefined;
  switch (type) {
    case 'BoxMesh': {
      const p = {
        size: r.vec3('size', [1, 1, 1]),
        subdivide_width: r.int('subdivide_width', 0, 0, MAX_SEGMENTS),
        subdivide_height: r.int('subdivide_height', 0, 0, MAX_SEGMENTS),
        subdivide_depth: r.int('subdivide_depth', 0, 0, MAX_SEGMENTS),
      };
      const w = p.subdivide_width + 2, h = p.subdivide_height + 2, d = p.subdivide_depth + 2;
      estimate = 2 * (w * h + h * d + d * w);
      build = () => boxMesh(p);
      break;
    }
    case 'SphereMesh': {
      const p = {
        radius: r.number('radius', 0.5),
        height: r.number('height', 1),
        radial_segments: r.int('radial_segments', 64, 4, MAX_SEGMENTS),
        rings: r.int('rings', 32, 1, MAX_SEGMENTS),
        is_hemisphere: r.bool('is_hemisphere', false),
      };
      estimate = (p.rings + 2) * (p.radial_segments + 1);
      build = () => sphereMesh(p);
      break;
    }
    case 'CylinderMesh': {
      const p = {
        top_radius: r.number('top_radius', 0.5),
        bottom_radius: r.number('bottom_radius', 0.5),
        height: r.number('height', 2),
        radial_segments: r.int('radial_segments', 64, 4, MAX_SEGMENTS),
        rings: r.int('rings', 4, 0, MAX_SEGMENTS),
        cap_top: r.bool('cap_top', true),
        cap_bottom: r.bool('cap_bottom', true),
      };
      estimate = (p.rings + 2) * (p.radial_segments + 1) + 2 * (p.radial_segments + 2);
      build = () => cylinderMesh(p);
      break;
    }
    case 'CapsuleMesh': {
      let radius = r.number('radius', 0.5);
      let height = r.number('height', 2);
      // Godot keeps height >= 2 * radius (its setters adjust the other value); a stored pair that
      // breaks this can only come from a text file, where the later setter (height) wins.
      if (radius > height * 0.5) radius = height * 0.5;
      if (height < radius * 2) height = radius * 2;
      const p = {
        radius,
        height,
        radial_segments: r.int('radial_segments', 64, 4, MAX_SEGMENTS),
        rings: r.int('rings', 8, 0, MAX_SEGMENTS),
      };
      estimate = 3 * (p.rings + 2) * (p.radial_segments + 1);
      build = () => capsuleMesh(p);
      break;
    }
    case 'PlaneMesh':
    case 'QuadMesh': {
      const quad = type === 'QuadMesh';
      const p = {
        size: r.vec2('size', quad ? [1, 1] : [2, 2]),
        subdivide_width: r.int('subdivide_width', 0, 0, MAX_SEGMENTS),
        subdivide_depth: r.int('subdivide_depth', 0, 0, MAX_SEGMENTS),
        center_offset: r.vec3('center_offset', [0, 0, 0]),
        orientation: r.int('orientation', quad ? 2 : 1, 0, 2),
      };
      estimate = (p.subdivide_width + 2) * (p.subdivide_depth + 2);
      build = () => planeMesh(p);
      break;
    }
    case 'PrismMesh': {
      const p = {
        left_to_right: r.number('left_to_right', 0.5),
        size: r.vec3('size', [1, 1, 1]),
        subdivide_width: r.int('subdivide_width', 0, 0, MAX_SEGMENTS),
        subdivide_height: r.int('subdivide_height', 0, 0, MAX_SEGMENTS),
        subdivide_depth: r.int('subdivide_depth', 0, 0, MAX_SEGMENTS),
      };
      const w = p.subdivide_width + 2, h = p.subdivide_height + 2, d = p.subdivide_depth + 2;
      estimate = 2 * h * w + 2 * h * d + d * w;
      build = () => prismMesh(p);
      break;
    }
    case 'TorusMesh': {
      const p = {
        inner_radius: r.number('inner_radius', 0.5),
        outer_radius: r.number('outer_radius', 1),
        rings: r.int('rings', 64, 3, MAX_SEGMENTS),
        ring_segments: r.int('ring_segments', 32, 3, MAX_SEGMENTS),
      };
      estimate = (p.rings + 1) * (p.ring_segments + 1);
      build = () => torusMesh(p);
      break;
    }
    default:
      return { ok: false, reason: `${type} is not a primitive mesh this exporter generates` };
  }
  const flip = r.bool('flip_faces', false);
  if (estimate > maxVertices) {
    return { ok: false, tooLarge: true, reason: `${type} would have ${estimate} vertices (limit ${maxVertices})` };
  }
  return finish(type, build(), flip);
}

/**
 * Generates the mesh of a CSG primitive node (CSGBox3D ... CSGTorus3D) from its properties, without
 * tangents (see {@link csgTangents}).
 */
export function generateCsgMesh(type: string, r: PropReader, maxVertices: number): PrimitiveResult {
  let estimate = 0;
  let build: () => MeshArrays | undefined;
  switch (type) {
    case 'CSGBox3D': {
      const p = { size: r.vec3('size', [1, 1, 1]) };
      estimate = 36;
      build = () => csgBox(p);
      break;
    }
    case 'CSGSphere3D': {
      const p = {
        radius: r.number('radius', 0.5),
        radial_segments: r.int('radial_segments', 12, 4, MAX_SEGMENTS),
        rings: r.int('rings', 6, 1, MAX_SEGMENTS),
        smooth_faces: r.bool('smooth_faces', true),
      };
      estimate = 6 * p.rings * p.radial_segments;
      build = () => csgSphere(p);
      break;
    }
    case 'CSGCylinder3D': {
      const p = {
        radius: r.number('radius', 0.5),
        height: r.number('height', 2),
        sides: r.int('sides', 8, 3, MAX_SEGMENTS),
        cone: r.bool('cone', false),
        smooth_faces: r.bool('smooth_faces', true),
      };
      estimate = 12 * p.sides;
      build = () => csgCylinder(p);
      break;
    }
    case 'CSGTorus3D': {
      const p = {
        inner_radius: r.number('inner_radius', 0.5),
        outer_radius: r.number('outer_radius', 1),
        sides: r.int('sides', 8, 3, MAX_SEGMENTS),
        ring_sides: r.int('ring_sides', 6, 3, MAX_SEGMENTS),
        smooth_faces: r.bool('smooth_faces', true),
      };
      estimate = 6 * p.sides * p.ring_sides;
      build = () => csgTorus(p);
      break;
    }
    default:
      return { ok: false, reason: `${type} is not a CSG primitive this exporter generates` };
  }
  const flip = r.bool('flip_faces', false);
  if (estimate > maxVertices) {
    return { ok: false, tooLarge: true, reason: `${type} would have ${estimate} vertices (limit ${maxVertices})` };
  }
  // No tangents here: they cost as much as the mesh and are needed only for normal maps, so
  // csgTangents (G-MESH-9) is run on these final (flipped) arrays when a material asks for them.
  return finish(type, build(), flip);
}

/**
 * Final checks shared by every generator: parameters such as a zero radius or height make Godot's
 * formulas divide by zero; such a mesh is refused (reported) instead of writing NaN into the file.
 */
function finish(type: string, arrays: MeshArrays | undefined, flip: boolean): PrimitiveResult {
  if (!arrays) return { ok: false, reason: `${type} has equal inner and outer radius; Godot draws nothing` };
  if (!allFinite(arrays.positions) || (arrays.normals && !allFinite(arrays.normals)) || (arrays.uvs && !allFinite(arrays.uvs))) {
    return { ok: false, reason: `${type} parameters give non-finite vertices (a zero or non-finite size, radius or height)` };
  }
  return { ok: true, arrays: flip ? flipFaces(arrays) : arrays };
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

export { type MeshArrays, toGltfWinding, flipFaces } from './mesh-arrays.js';
export { csgTangents } from './csg-tangents.js';
