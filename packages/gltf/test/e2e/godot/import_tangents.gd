# Imports tangents.glb (next to this script) with Godot's GLTFDocument and writes, per imported
# MeshInstance3D, its first surface's vertices, normals, UVs and tangents; and, for every case in
# cases.json, the same arrays of Godot's own primitive mesh. Output: tangents.json.
extends SceneTree

const MeshCases = preload("res://mesh_cases.gd")


func _collect(n: Node, out: Dictionary) -> void:
	if n is MeshInstance3D and (n as MeshInstance3D).mesh != null:
		out[String(n.name)] = MeshCases.arrays_json((n as MeshInstance3D).mesh.surface_get_arrays(0))
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
			mesh.set(key, MeshCases.value(c["props"][key]))
		own[c["label"]] = MeshCases.arrays_json(mesh.get_mesh_arrays())
	var f := FileAccess.open(dir + "/tangents.json", FileAccess.WRITE)
	f.store_string(JSON.stringify({"error": err, "imported": imported, "own": own}))
	f.close()
