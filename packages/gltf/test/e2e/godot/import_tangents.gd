# Imports tangents.glb (next to this script) with Godot's GLTFDocument and writes, per imported
# MeshInstance3D, its first surface's vertices, normals, UVs and tangents; and, for every case in
# cases.json, the same arrays of Godot's own primitive mesh. Output: tangents.json.
extends SceneTree


func _value(spec: Array) -> Variant:
	match spec[0]:
		"f": return float(spec[1])
		"i": return int(spec[1])
		"b": return bool(spec[1])
		"v2": return Vector2(spec[1], spec[2])
		"v3": return Vector3(spec[1], spec[2], spec[3])
	return null


func _flat(a: Variant) -> Array:
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


func _arrays(arrays: Array) -> Dictionary:
	return {
		"positions": _flat(arrays[Mesh.ARRAY_VERTEX]),
		"normals": _flat(arrays[Mesh.ARRAY_NORMAL]),
		"uvs": _flat(arrays[Mesh.ARRAY_TEX_UV]),
		"tangents": _flat(arrays[Mesh.ARRAY_TANGENT]),
		"indices": _flat(arrays[Mesh.ARRAY_INDEX]),
	}


func _collect(n: Node, out: Dictionary) -> void:
	if n is MeshInstance3D and (n as MeshInstance3D).mesh != null:
		out[String(n.name)] = _arrays((n as MeshInstance3D).mesh.surface_get_arrays(0))
	for c in n.get_children():
		_collect(c, out)


func _initialize() -> void:
	var dir: String = get_script().resource_path.get_base_dir()
	var doc := GLTFDocument.new()
	var state := GLTFState.new()
	var err := doc.append_from_file(dir + "/tangents.glb", state)
	var imported := {}
	if err == OK:
		var scene := doc.generate_scene(state)
		_collect(scene, imported)
		scene.free()
	var own := {}
	var cases: Array = JSON.parse_string(FileAccess.get_file_as_string(dir + "/cases.json"))
	for c: Dictionary in cases:
		var mesh: PrimitiveMesh = ClassDB.instantiate(c["type"])
		for key: String in c["props"]:
			mesh.set(key, _value(c["props"][key]))
		own[c["label"]] = _arrays(mesh.get_mesh_arrays())
	var f := FileAccess.open(dir + "/tangents.json", FileAccess.WRITE)
	f.store_string(JSON.stringify({"error": err, "imported": imported, "own": own}))
	f.close()
