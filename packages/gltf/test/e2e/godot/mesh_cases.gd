# Shared by the primitive-mesh scripts (dump_primitives.gd, import_tangents.gd): case property values
# as the tests write them, and mesh arrays as flat JSON lists.
extends RefCounted


## A property value from the tests' cases.json: ["f", x], ["i", n], ["b", b], ["v2", x, y], ["v3", x, y, z].
static func value(spec: Array) -> Variant:
	match spec[0]:
		"f": return float(spec[1])
		"i": return int(spec[1])
		"b": return bool(spec[1])
		"v2": return Vector2(spec[1], spec[2])
		"v3": return Vector3(spec[1], spec[2], spec[3])
	return null


## A packed array as a flat list of numbers (vectors spread into their components).
static func flat(a: Variant) -> Array:
	var out: Array = []
	if a == null:
		return out
	for v: Variant in a:
		if v is Vector3:
			out.append_array([v.x, v.y, v.z])
		elif v is Vector2:
			out.append_array([v.x, v.y])
		else:
			out.append(v)
	return out


## The arrays the tests compare, from `Mesh.surface_get_arrays` / `PrimitiveMesh.get_mesh_arrays`.
static func arrays_json(arrays: Array) -> Dictionary:
	return {
		"positions": flat(arrays[Mesh.ARRAY_VERTEX]),
		"normals": flat(arrays[Mesh.ARRAY_NORMAL]),
		"uvs": flat(arrays[Mesh.ARRAY_TEX_UV]),
		"tangents": flat(arrays[Mesh.ARRAY_TANGENT]),
		"indices": flat(arrays[Mesh.ARRAY_INDEX]),
	}
