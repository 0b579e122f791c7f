# Dumps Godot's own primitive and CSG meshes as JSON, for comparison with @scenesync/gltf's
# generators. Reads cases.json next to this script, writes out.json there.
extends SceneTree

const MeshCases = preload("res://mesh_cases.gd")

var _csg: Array = []
var _out: Array = []
var _frames := 0


func _dump(label: String, arrays: Array) -> Dictionary:
	var out := MeshCases.arrays_json(arrays)
	out["label"] = label
	return out


func _initialize() -> void:
	var dir: String = get_script().resource_path.get_base_dir()
	var cases: Array = JSON.parse_string(FileAccess.get_file_as_string(dir + "/cases.json"))
	for c: Dictionary in cases:
		var obj: Object = ClassDB.instantiate(c["type"])
		for key: String in c["props"]:
			obj.set(key, MeshCases.value(c["props"][key]))
		if obj is PrimitiveMesh:
			_out.append(_dump(c["label"], (obj as PrimitiveMesh).get_mesh_arrays()))
		else:
			root.add_child(obj)
			_csg.append([c["label"], obj])


func _process(_delta: float) -> bool:
	_frames += 1
	if _frames < 3:
		return false
	for pair: Array in _csg:
		var meshes: Array = pair[1].get_meshes()
		_out.append(_dump(pair[0], (meshes[1] as Mesh).surface_get_arrays(0)))
	var dir: String = get_script().resource_path.get_base_dir()
	var f := FileAccess.open(dir + "/out.json", FileAccess.WRITE)
	f.store_string(JSON.stringify(_out))
	f.close()
	return true
