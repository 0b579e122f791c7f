/**
 * What a Godot node looks like in three.js: each scene node is an `Object3D` (its transform, its
 * children), and a node class that draws something gets a *visual* child: a mesh, a light, a camera
 * frustum. Visuals are marked so picking and the outliner can tell them from scene nodes.
 */
import {
  BufferGeometry,
  DirectionalLight,
  Float32BufferAttribute,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  Object3D,
  PerspectiveCamera,
  PointLight,
  SpotLight,
  type Light,
} from 'three';
import type { Props } from './props.js';
import { boolProp, colorProp, numberProp } from './godot-values.js';

/** Node classes drawn as a light. */
export const LIGHT_TYPES: ReadonlySet<string> = new Set(['DirectionalLight3D', 'OmniLight3D', 'SpotLight3D']);

/**
 * three.js uses physical light units; Godot's `light_energy` 1 is a comfortable default brightness.
 * These factors make a Godot scene read about as bright as in Godot's editor.
 */
const DIRECTIONAL_INTENSITY_PER_ENERGY = 2.5;
const POINT_INTENSITY_PER_ENERGY = 8;

/** Marks an object as a node's visual (not a scene node of its own). */
export function markVisual<T extends Object3D>(object: T): T {
  object.userData.visual = true;
  return object;
}

/** Creates the visual of a light node, pointing down the node's -Z as Godot lights do. */
export function createLight(type: string): Light {
  let light: Light;
  if (type === 'DirectionalLight3D') light = new DirectionalLight();
  else if (type === 'SpotLight3D') light = new SpotLight();
  else light = new PointLight();
  if (light instanceof DirectionalLight || light instanceof SpotLight) {
    // The target rides along as a child one unit down -Z, so the light turns with its node.
    light.target.position.set(0, 0, -1);
    light.add(light.target);
  }
  return markVisual(light);
}

/** Writes a light node's Godot properties onto its three.js light. */
export function applyLightProps(light: Light, props: Props): void {
  light.color.copy(colorProp(props.light_color, [1, 1, 1, 1]).color);
  const energy = numberProp(props.light_energy, 1);
  if (light instanceof DirectionalLight) {
    light.intensity = energy * DIRECTIONAL_INTENSITY_PER_ENERGY;
  } else if (light instanceof SpotLight) {
    light.intensity = energy * POINT_INTENSITY_PER_ENERGY;
    light.distance = numberProp(props.spot_range, 5);
    light.angle = (numberProp(props.spot_angle, 45) * Math.PI) / 180;
    light.decay = 1;
  } else if (light instanceof PointLight) {
    light.intensity = energy * POINT_INTENSITY_PER_ENERGY;
    light.distance = numberProp(props.omni_range, 5);
    light.decay = 1;
  }
}

/** A camera node's visual: a small wire frustum (the viewer never renders through scene cameras). */
export function createCameraVisual(): LineSegments {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(new Float32Array(16 * 3), 3));
  const lines = new LineSegments(geometry, new LineBasicMaterial({ color: 0x9aa4b8 }));
  return markVisual(lines);
}

/** Reshapes a camera visual from the node's fov/near/far (Godot defaults 75°, 0.05, 4000). */
export function applyCameraProps(visual: LineSegments, props: Props): PerspectiveCamera {
  const fov = numberProp(props.fov, 75);
  const camera = new PerspectiveCamera(fov, 16 / 9, numberProp(props.near, 0.05), numberProp(props.far, 4000));
  // Draw the frustum to a fixed, small depth: the real far plane would fill the whole view.
  const depth = 0.6;
  const h = Math.tan((fov * Math.PI) / 360) * depth;
  const w = h * (16 / 9);
  const p = [
    [0, 0, 0], [-w, -h, -depth], [0, 0, 0], [w, -h, -depth], [0, 0, 0], [w, h, -depth], [0, 0, 0], [-w, h, -depth],
    [-w, -h, -depth], [w, -h, -depth], [w, -h, -depth], [w, h, -depth], [w, h, -depth], [-w, h, -depth], [-w, h, -depth], [-w, -h, -depth],
  ].flat();
  const attribute = visual.geometry.getAttribute('position') as Float32BufferAttribute;
  (attribute.array as Float32Array).set(p);
  attribute.needsUpdate = true;
  visual.geometry.computeBoundingSphere();
  return camera;
}

/** A mesh node's visual, drawn with the given geometry and material (both may change later). */
export function createMeshVisual(): Mesh {
  const mesh = new Mesh();
  mesh.castShadow = true;
  mesh.receiveShadow = true;
  return markVisual(mesh);
}

/** Whether a node is drawn: Godot's `visible` property, default true. */
export function isVisible(props: Props): boolean {
  return boolProp(props.visible, true);
}
