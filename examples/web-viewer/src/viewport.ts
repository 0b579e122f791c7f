/**
 * `Viewport`: the renderer, the editor camera with orbit controls, a grid and a soft fill light,
 * and the render loop. Everything scene-specific is added by the caller into `viewport.scene`.
 */
import {
  ACESFilmicToneMapping,
  Box3,
  Vector3,
  type Object3D,
  Color,
  GridHelper,
  HemisphereLight,
  PMREMGenerator,
  PerspectiveCamera,
  Scene,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

/** Background colour of the 3D view; tests look for pixels that differ from it. */
export const VIEWPORT_BACKGROUND = 0x20232a;

/** The 3D view of the page. */
export class Viewport {
  readonly scene = new Scene();
  readonly camera = new PerspectiveCamera(55, 1, 0.05, 2000);
  readonly renderer: WebGLRenderer;
  readonly orbit: OrbitControls;
  private readonly frameCallbacks: Array<(now: number) => boolean | void> = [];
  /** Whether the next frame must be drawn: the view renders on demand, not 60 times a second. */
  private dirty = true;

  /** Creates the view inside `container` (it fills the container and follows its size). */
  constructor(readonly container: HTMLElement) {
    // preserveDrawingBuffer lets screenshots and tests read the canvas after a frame was shown.
    this.renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.toneMapping = ACESFilmicToneMapping;
    this.renderer.domElement.dataset.testid = 'viewport-canvas';
    container.appendChild(this.renderer.domElement);
    this.scene.background = new Color(VIEWPORT_BACKGROUND);
    // An editor-style fill light, so a scene without lights is still readable (Godot's preview sun).
    this.scene.add(new HemisphereLight(0xdde6ff, 0x3a3530, 1.2));
    // Something for metallic surfaces to reflect (Godot's editor shows a default sky for the same reason).
    const pmrem = new PMREMGenerator(this.renderer);
    this.scene.environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
    this.scene.environmentIntensity = 0.35;
    pmrem.dispose();
    const grid = new GridHelper(20, 20, 0x4a5060, 0x30343c);
    grid.userData.visual = true;
    this.scene.add(grid);
    this.camera.position.set(6, 5, 8);
    this.orbit = new OrbitControls(this.camera, this.renderer.domElement);
    this.orbit.target.set(0, 0.5, 0);
    this.orbit.update();
    this.orbit.addEventListener('change', () => this.invalidate());
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    this.renderer.setAnimationLoop((now) => this.frame(now));
  }

  /**
   * Calls `callback` on every animation frame with the frame time (performance.now()); a callback
   * that changed the scene returns true, and the frame is drawn.
   */
  onFrame(callback: (now: number) => boolean | void): void {
    this.frameCallbacks.push(callback);
  }

  /**
   * Points the camera at `object` (a node, or the whole scene) from the current direction, far
   * enough to see all of it. Does nothing for an object with nothing drawn.
   */
  focus(object: Object3D): void {
    const box = new Box3().setFromObject(object);
    if (box.isEmpty()) return;
    const centre = box.getCenter(new Vector3());
    const radius = Math.max(box.getSize(new Vector3()).length() / 2, 0.5);
    // The bounding sphere is loose for flat scenes (a floor); 0.65 of its fit frames them snugly.
    const distance = (0.65 * radius) / Math.sin((this.camera.fov * Math.PI) / 360);
    const direction = this.camera.position.clone().sub(this.orbit.target).normalize();
    this.orbit.target.copy(centre);
    this.camera.position.copy(centre).addScaledVector(direction, distance);
    this.camera.near = Math.max(0.01, distance / 1000);
    this.camera.far = Math.max(2000, distance * 10);
    this.camera.updateProjectionMatrix();
    this.orbit.update();
    this.invalidate();
  }

  /** Marks the view as changed: the next animation frame draws it. */
  invalidate(): void {
    this.dirty = true;
  }

  private resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(width, height);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.invalidate();
  }

  private frame(now: number): void {
    // Software WebGL (no GPU) costs a full core per page at 60 Hz: draw only frames that changed.
    for (const callback of this.frameCallbacks) if (callback(now) === true) this.dirty = true;
    if (!this.dirty) return;
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
  }
}
