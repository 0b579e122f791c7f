# Imports every .glb listed in files.json (next to this script) with Godot's GLTFDocument
# (append_from_file + generate_scene) and writes, per file, every generated node with its class,
# parent, world transform (basis rows then origin, as Transform3D prints), visibility and extras.
extends SceneTree


func _world(n: Node) -> Transform3D:
	var t := Transform3D.IDENTITY
	var x: Node = n
	while x != null:
		if x is Node3D:
			t = (x as Node3D).transform * t
		x = x.get_parent()
	return t


func _collect(n: Node, out: Array) -> void:
	var t := _world(n)
	var b := t.basis
	var entry := {
		"name": String(n.name),
		"class": n.get_class(),
		"parent": String(n.get_parent().name) if n.get_parent() != null else "",
		"parentId": "",
		"world": [b.x.x, b.y.x, b.z.x, b.x.y, b.y.y, b.z.y, b.x.z, b.y.z, b.z.z, t.origin.x, t.origin.y, t.origin.z],
		"visible": (n as Node3D).visible if n is Node3D else true,
		"hasMesh": n is MeshInstance3D and (n as MeshInstance3D).mesh != null,
		"id": "",
	}
	if n.has_meta("extras"):
		var extras: Dictionary = n.get_meta("extras")
		if extras.has("scenesync"):
			entry["id"] = extras["scenesync"]["id"]
	var p := n.get_parent()
	if p != null and p.has_meta("extras"):
		var pe: Dictionary = p.get_meta("extras")
		if pe.has("scenesync"):
			entry["parentId"] = pe["scenesync"]["id"]
	out.append(entry)
	for c in n.get_children():
		_collect(c, out)


func _initialize() -> void:
	var dir: String = get_script().resource_path.get_base_dir()
	var files: Array = JSON.parse_string(FileAccess.get_file_as_string(dir + "/files.json"))
	var result := {}
	for file: String in files:
		var doc := GLTFDocument.new()
		var state := GLTFState.new()
		var err := doc.append_from_file(dir + "/" + file, state)
		var nodes: Array = []
		if err == OK:
			var scene := doc.generate_scene(state)
			_collect(scene, nodes)
			scene.free()
		result[file] = {"error": err, "nodes": nodes}
	var f := FileAccess.open(dir + "/imported.json", FileAccess.WRITE)
	f.store_string(JSON.stringify(result))
	f.close()
	quit()
