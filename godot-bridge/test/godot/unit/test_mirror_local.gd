extends "res://tests/test_case.gd"
## Local edits become protocol ops (B-OPS); structure from signals, properties from frame checks.


func _mirror() -> SceneSyncMirror:
	var mirror := SceneSyncMirror.new()
	mirror.attach(tree_root)
	mirror.collect_ops()
	return mirror


func test_add_sends_type_name_props_and_resources() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var mesh := MeshInstance3D.new()
	mesh.name = "Box"
	var box := BoxMesh.new()
	box.size = Vector3(1, 2, 3)
	mesh.mesh = box
	mesh.position = Vector3(0, 2, 0)
	tree_root.add_child(mesh)
	var ops: Array[Dictionary] = mirror.collect_ops()
	var res_adds: Array[Dictionary] = ops_of(ops, "res_add")
	var adds: Array[Dictionary] = ops_of(ops, "add")
	expect_eq(res_adds.size(), 1, "one res_add for the BoxMesh")
	expect_eq(adds.size(), 1, "one add")
	expect_true(ops.find(res_adds[0]) < ops.find(adds[0]), "the resource is added before the node that uses it")
	expect_eq(res_adds[0]["type"], "BoxMesh", "resource type")
	expect_eq(res_adds[0]["props"]["size"], "Vector3(1, 2, 3)", "resource props as Variant text")
	expect_eq(adds[0]["parent"], "root", "parent is the mirrored root")
	expect_eq(adds[0]["name"], "Box", "name")
	expect_eq(adds[0]["type"], "MeshInstance3D", "type")
	expect_eq(adds[0]["props"]["mesh"], {"res": res_adds[0]["id"]}, "mesh refers to the resource")
	expect_eq(str_to_var(adds[0]["props"]["transform"]), mesh.transform, "transform")
	expect_eq(mirror.id_of(mesh), adds[0]["id"], "the node is mapped to the id it was sent with")
	expect_eq(mirror.collect_ops().size(), 0, "nothing more to send")


func test_structure_edits() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var a := Node3D.new()
	a.name = "A"
	var b := Node3D.new()
	b.name = "B"
	var c := Node3D.new()
	c.name = "C"
	tree_root.add_child(a)
	tree_root.add_child(b)
	a.add_child(c)
	var adds: Array[Dictionary] = ops_of(mirror.collect_ops(), "add")
	expect_eq(adds.size(), 3, "three adds")
	var a_at: int = -1
	var c_at: int = -1
	for i: int in adds.size():
		if adds[i]["name"] == "A":
			a_at = i
		if adds[i]["name"] == "C":
			c_at = i
	expect_true(a_at >= 0 and c_at > a_at, "C is added after A")
	if c_at >= 0:
		expect_eq(adds[c_at]["parent"], adds[a_at]["id"], "C is added under A")
	var cid: String = mirror.id_of(c)
	c.name = "Renamed"
	var renames: Array[Dictionary] = ops_of(mirror.collect_ops(), "rename")
	expect_eq(renames.size(), 1, "one rename")
	expect_eq(renames[0]["name"], "Renamed", "new name")
	c.reparent(b, false)
	var ops: Array[Dictionary] = mirror.collect_ops()
	expect_eq(ops_of(ops, "remove").size(), 0, "a reparent is not a removal")
	expect_eq(ops_of(ops, "add").size(), 0, "a reparent is not an add")
	var moves: Array[Dictionary] = ops_of(ops, "move")
	expect_eq(moves.size(), 1, "one move")
	expect_eq(moves[0]["id"], cid, "the same id moves")
	expect_eq(moves[0]["parent"], mirror.id_of(b), "to B")
	tree_root.move_child(b, 0)
	moves = ops_of(mirror.collect_ops(), "move")
	expect_true(moves.size() >= 1, "a reorder is sent as moves")
	expect_eq(moves[0]["index"], 0, "B to index 0")
	var bid: String = mirror.id_of(b)
	tree_root.remove_child(b)
	b.free()
	var removes: Array[Dictionary] = ops_of(mirror.collect_ops(), "remove")
	expect_eq(removes.size(), 1, "one remove for the top of the removed subtree")
	expect_eq(removes[0]["id"], bid, "B removed")
	expect_eq(mirror.node_of(cid), null, "B's child is no longer mapped")


func test_property_checks() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var light := OmniLight3D.new()
	tree_root.add_child(light)
	mirror.collect_ops()
	light.position = Vector3(5, 0, 0)
	light.omni_range = 12.5
	light.visible = false
	var sets: Array[Dictionary] = ops_of(mirror.collect_ops(), "set")
	var keys: Dictionary = {}
	for op: Dictionary in sets:
		keys[op["key"]] = op["value"]
	expect_eq(str_to_var(keys.get("transform", "null")), light.transform, "transform sent")
	expect_eq(keys.get("omni_range"), "12.5", "omni_range sent")
	expect_eq(keys.get("visible"), "false", "visible sent")
	expect_eq(mirror.collect_ops().size(), 0, "unchanged values are not sent again")
	var mesh := MeshInstance3D.new()
	var sphere := SphereMesh.new()
	mesh.mesh = sphere
	tree_root.add_child(mesh)
	mirror.collect_ops()
	sphere.radius = 2.0
	var res_sets: Array[Dictionary] = ops_of(mirror.collect_ops(), "res_set")
	expect_eq(res_sets.size(), 1, "a resource edit is sent when the resource emits changed")
	if res_sets.size() == 1:
		expect_eq(res_sets[0]["key"], "radius", "radius")
		expect_eq(res_sets[0]["value"], "2.0", "radius value")


func test_large_trees_sweep_idle_nodes_and_watch_hot_ones() -> void:
	var mirror: SceneSyncMirror = _mirror()
	mirror.transform_checks_per_frame = 2
	var nodes: Array[Node3D] = []
	for i: int in 6:
		var n := Node3D.new()
		tree_root.add_child(n)
		nodes.append(n)
	mirror.collect_ops()
	nodes[4].position = Vector3(1, 0, 0)
	var seen: int = 0
	for frame: int in 3:
		seen += ops_of(mirror.collect_ops(), "set").size()
	expect_eq(seen, 1, "an idle node's first move is found by the sweep within count / checks frames")
	nodes[4].position = Vector3(2, 0, 0)
	expect_eq(ops_of(mirror.collect_ops(), "set").size(), 1, "a node that moved recently is checked every frame")


func test_instanced_scenes_travel_as_references() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var scene_root := Node3D.new()
	scene_root.name = "Inst"
	var inner := MeshInstance3D.new()
	scene_root.add_child(inner)
	inner.owner = scene_root
	var packed := PackedScene.new()
	packed.pack(scene_root)
	packed.resource_path = "res://instanced_for_test.tscn"
	var inst: Node = packed.instantiate()
	inst.scene_file_path = "res://instanced_for_test.tscn"
	tree_root.add_child(inst)
	var adds: Array[Dictionary] = ops_of(mirror.collect_ops(), "add")
	expect_eq(adds.size(), 1, "only the instance's root is added, not its content")
	if adds.size() == 1:
		expect_eq(adds[0]["props"]["tscn:instance"], {"ext": "res://instanced_for_test.tscn", "type": "PackedScene"}, "as a reference to its file")
	scene_root.free()
