/**
 * Godot primitive meshes (BoxMesh, SphereMesh, ...) as three.js geometries, built from the Godot
 * properties with Godot's defaults. Each geometry has the same size, orientation and pivot as the
 * mesh Godot would draw, so a scene looks the same in the viewer, in Godot and in the GLB export.
 */
import {
  BoxGeometry,
  BufferGeometry,
  CapsuleGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  PlaneGeometry,
  SphereGeometry,
  TorusGeometry,
} from 'three';
import { PRIMITIVE_MESH_TYPES } from '@scenesync/gltf';
import type { Props } from './props.js';
import { boolProp, numberProp, vector2Prop, vector3Prop } from './godot-values.js';

/** The primitive mesh classes the viewer draws: the ones `@scenesync/gltf` exports. */
export { PRIMITIVE_MESH_TYPES };

/** One of {@link PRIMITIVE_MESH_TYPES}. */
export type PrimitiveMeshType = (typeof PRIMITIVE_MESH_TYPES)[number];

/** True when `type` is a primitive mesh class the viewer can draw. */
export function isPrimitiveMeshType(type: string): type is PrimitiveMeshType {
  return (PRIMITIVE_MESH_TYPES as readonly string[]).includes(type);
}

/**
 * Segment counts are capped for the viewer: Godot's defaults (64 radial segments) are fine on a
 * GPU but slow on software WebGL, and the silhouette does not change visibly above this.
 */
const MAX_SEGMENTS = 48;

function segments(value: Props[string] | undefined, fallback: number): number {
  return Math.max(3, Math.min(MAX_SEGMENTS, Math.round(numberProp(value, fallback))));
}

/** Godot PlaneMesh orientation enum: FACE_X = 0, FACE_Y = 1, FACE_Z = 2. */
const FACE_X = 0;
const FACE_Z = 2;

/**
 * Builds the geometry of a Godot primitive mesh resource.
 *
 * @param type a Godot mesh class; an unknown class returns undefined (the node draws nothing)
 * @param props the resource's properties (missing ones take Godot's defaults)
 */
export function primitiveGeometry(type: string, props: Props): BufferGeometry | undefined {
  switch (type) {
    case 'BoxMesh': {
      const [x, y, z] = vector3Prop(props.size, [1, 1, 1]);
      return new BoxGeometry(x, y, z);
    }
    case 'SphereMesh': {
      const radius = numberProp(props.radius, 0.5);
      const height = numberProp(props.height, 1);
      const hemisphere = boolProp(props.is_hemisphere, false);
      const geometry = new SphereGeometry(
        radius,
        segments(props.radial_segments, 64),
        segments(props.rings, 32),
        0,
        Math.PI * 2,
        0,
        hemisphere ? Math.PI / 2 : Math.PI,
      );
      // Godot's sphere is an ellipsoid when height != 2 * radius.
      if (radius > 0) geometry.scale(1, height / (2 * radius), 1);
      return geometry;
    }
    case 'CylinderMesh': {
      const geometry = new CylinderGeometry(
        numberProp(props.top_radius, 0.5),
        numberProp(props.bottom_radius, 0.5),
        numberProp(props.height, 2),
        segments(props.radial_segments, 64),
        Math.max(1, Math.round(numberProp(props.rings, 4)) + 1),
        !boolProp(props.cap_top, true) && !boolProp(props.cap_bottom, true),
      );
      return geometry;
    }
    case 'CapsuleMesh': {
      const radius = numberProp(props.radius, 0.5);
      // Godot's height is the whole capsule; three's length is the straight part between the caps.
      const height = Math.max(numberProp(props.height, 2), 2 * radius);
      return new CapsuleGeometry(radius, height - 2 * radius, segments(props.rings, 8), segments(props.radial_segments, 64));
    }
    case 'PlaneMesh':
    case 'QuadMesh': {
      const [w, d] = vector2Prop(props.size, type === 'PlaneMesh' ? [2, 2] : [1, 1]);
      const orientation = numberProp(props.orientation, type === 'PlaneMesh' ? 1 : FACE_Z);
      const geometry = new PlaneGeometry(w, d);
      // three's plane faces +Z (Godot FACE_Z); FACE_Y lies flat facing up, FACE_X faces +X.
      if (orientation === FACE_X) geometry.rotateY(Math.PI / 2);
      else if (orientation !== FACE_Z) geometry.rotateX(-Math.PI / 2);
      const [ox, oy, oz] = vector3Prop(props.center_offset, [0, 0, 0]);
      geometry.translate(ox, oy, oz);
      return geometry;
    }
    case 'PrismMesh': {
      const [x, y, z] = vector3Prop(props.size, [1, 1, 1]);
      return prismGeometry(x, y, z, numberProp(props.left_to_right, 0.5));
    }
    case 'TorusMesh': {
      const inner = numberProp(props.inner_radius, 0.5);
      const outer = numberProp(props.outer_radius, 1);
      const geometry = new TorusGeometry(
        (inner + outer) / 2,
        Math.abs(outer - inner) / 2,
        segments(props.ring_segments, 32),
        segments(props.rings, 64),
      );
      // three's torus lies in the XY plane; Godot's lies flat in XZ around +Y.
      geometry.rotateX(Math.PI / 2);
      return geometry;
    }
    default:
      return undefined;
  }
}

/**
 * Godot's PrismMesh: a triangular prism centred on the origin, its ridge at the top,
 * `leftToRight` (0..1) placing the ridge from the left to the right edge.
 */
function prismGeometry(sx: number, sy: number, sz: number, leftToRight: number): BufferGeometry {
  const hx = sx / 2;
  const hy = sy / 2;
  const hz = sz / 2;
  const apexX = -hx + leftToRight * sx;
  const front = [[-hx, -hy, hz], [hx, -hy, hz], [apexX, hy, hz]] as const;
  const back = [[-hx, -hy, -hz], [hx, -hy, -hz], [apexX, hy, -hz]] as const;
  const positions: number[] = [];
  const tri = (a: readonly number[], b: readonly number[], c: readonly number[]): void => {
    positions.push(...a, ...b, ...c);
  };
  const quad = (a: readonly number[], b: readonly number[], c: readonly number[], d: readonly number[]): void => {
    tri(a, b, c);
    tri(a, c, d);
  };
  tri(front[0], front[1], front[2]);
  tri(back[1], back[0], back[2]);
  quad(back[0], back[1], front[1], front[0]); // bottom
  quad(front[0], front[2], back[2], back[0]); // left slope
  quad(front[1], back[1], back[2], front[2]); // right slope
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  return geometry;
}
