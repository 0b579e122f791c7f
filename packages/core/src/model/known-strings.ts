/**
 * Godot class and property names written as one-byte codes in records (schema 1). The table is part of
 * the schema: entries are never removed or reordered; a later schema may only append. Code 0 means
 * "the string follows inline", so any name outside the table still works.
 */
export const KNOWN_STRINGS: readonly string[] = Object.freeze([
  // Node classes
  'Node', 'Node3D', 'Node2D', 'Control', 'MeshInstance3D', 'Camera3D', 'DirectionalLight3D', 'OmniLight3D',
  'SpotLight3D', 'CSGBox3D', 'CSGSphere3D', 'CSGCylinder3D', 'CSGTorus3D', 'CSGCombiner3D', 'CSGMesh3D',
  'CSGPolygon3D', 'StaticBody3D', 'RigidBody3D', 'CharacterBody3D', 'Area3D', 'CollisionShape3D',
  'WorldEnvironment', 'AnimationPlayer', 'Sprite3D', 'Label3D', 'GPUParticles3D', 'Marker3D', 'Path3D',
  'AudioStreamPlayer', 'AudioStreamPlayer3D', 'Timer', 'Label', 'ReflectionProbe', 'Skeleton3D',
  // Resource classes
  'BoxMesh', 'SphereMesh', 'CylinderMesh', 'CapsuleMesh', 'PlaneMesh', 'QuadMesh', 'PrismMesh', 'TorusMesh',
  'ArrayMesh', 'StandardMaterial3D', 'ORMMaterial3D', 'ShaderMaterial', 'BoxShape3D', 'SphereShape3D',
  'CapsuleShape3D', 'CylinderShape3D', 'ConcavePolygonShape3D', 'ConvexPolygonShape3D', 'Environment',
  'Sky', 'ProceduralSkyMaterial', 'PhysicsMaterial', 'Gradient', 'GradientTexture2D', 'Curve3D',
  // Properties
  'transform', 'visible', 'mesh', 'material_override', 'material', 'skeleton', 'layers', 'cast_shadow',
  'light_color', 'light_energy', 'light_indirect_energy', 'shadow_enabled', 'omni_range', 'omni_attenuation',
  'spot_range', 'spot_angle', 'spot_attenuation', 'fov', 'near', 'far', 'size', 'projection', 'current',
  'keep_aspect', 'radius', 'height', 'top_radius', 'bottom_radius', 'radial_segments', 'rings',
  'inner_radius', 'outer_radius', 'sides', 'subdivide_width', 'subdivide_height', 'subdivide_depth',
  'left_to_right', 'orientation', 'center_offset', 'albedo_color', 'albedo_texture', 'metallic', 'roughness',
  'emission_enabled', 'emission', 'emission_energy_multiplier', 'transparency', 'alpha_scissor_threshold',
  'cull_mode', 'shading_mode', 'shape', 'script', 'environment', 'text', 'operation', 'use_collision',
  'surface_material_override/0', 'metadata/_edit_lock_', 'unique_name_in_owner', 'process_mode',
]);

export const KNOWN_STRING_CODES: ReadonlyMap<string, number> = new Map(KNOWN_STRINGS.map((s, i) => [s, i + 1]));
