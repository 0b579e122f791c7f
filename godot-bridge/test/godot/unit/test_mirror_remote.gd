extends "res://tests/test_case.gd"
## Remote changes are applied without echo (B-ECHO, B-CHANGES-1); snapshots rebuild (B-RESYNC).


func _mirror() -> SceneSyncMirror:
	var mirror := SceneSyncMirror.new()
	mirror.attach(tree_root)
	mirror.collect_ops()
	return mirror


func test_remote_changes_apply_without_echo() -> void:
	var mirror: SceneSyncMirror = _mirror()
	mirror.apply_changes([
		{"kind": "resourceAdded", "id": "mat", "type": "StandardMaterial3D", "props": {"albedo_color": "Color(1, 0, 0, 1)"}},
		{"kind": "resourceAdded", "id": "box", "type": "BoxMesh", "props": {"size": "Vector3(2, 2, 2)", "material": {"res": "mat"}}},
		{"kind": "added", "id": "n1", "parent": "root", "index": 0, "name": "Crate", "type": "MeshInstance3D", "props": {"mesh": {"res": "box"}, "transform": "Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 3, 0)", "tscn:groups": "[\"x\"]"}},
		{"kind": "added", "id": "n2", "parent": "root", "index": 1, "name": "Lamp", "type": "OmniLight3D", "props": {}},
		{"kind": "added", "id": "n3", "parent": "n1", "index": 0, "name": "Child", "type": "Node3D", "props": {}},
	])
	var crate: MeshInstance3D = tree_root.get_node_or_null("Crate")
	expect_true(crate != null, "Crate created")
	if crate == null:
		return
	expect_eq(crate.position, Vector3(0, 3, 0), "transform applied")
	expect_true(crate.mesh is BoxMesh, "mesh resource created")
	expect_eq((crate.mesh as BoxMesh).size, Vector3(2, 2, 2), "mesh props")
	expect_eq(((crate.mesh as BoxMesh).material as StandardMaterial3D).albedo_color, Color(1, 0, 0, 1), "nested material")
	expect_eq(mirror.collect_ops().size(), 0, "applied changes are not echoed")
	mirror.apply_changes([
		{"kind": "property", "id": "n2", "key": "omni_range", "value": "7.0"},
		{"kind": "renamed", "id": "n2", "name": "Bulb", "oldName": "Lamp"},
		{"kind": "moved", "id": "n3", "parent": "n2", "index": 0, "oldParent": "n1"},
		{"kind": "resourceProperty", "id": "box", "key": "size", "value": "Vector3(4, 4, 4)"},
	])
	var bulb: OmniLight3D = tree_root.get_node_or_null("Bulb")
	expect_true(bulb != null, "renamed")
	if bulb == null:
		return
	expect_eq(bulb.omni_range, 7.0, "property applied")
	expect_eq(bulb.get_child(0).name, &"Child", "moved")
	expect_eq((crate.mesh as BoxMesh).size, Vector3(4, 4, 4), "resource property applied")
	expect_eq(mirror.collect_ops().size(), 0, "still no echo")
	mirror.apply_changes([{"kind": "removed", "id": "n1", "parent": "root"}])
	expect_true(tree_root.get_node_or_null("Crate") == null, "removed")
	expect_eq(mirror.collect_ops().size(), 0, "no echo of the removal")


func test_snapshot_rebuilds_and_empty_snapshot_resends() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var local := Node3D.new()
	local.name = "LocalOnly"
	tree_root.add_child(local)
	mirror.load_snapshot({"id": "root", "name": "Root", "type": "Node3D", "props": {}, "resources": {}, "children": [
		{"id": "a", "name": "FromDoc", "type": "Camera3D", "props": {"fov": "60.0"}, "children": []}]})
	expect_eq(tree_root.get_child_count(), 1, "the snapshot replaces the local subtree")
	var cam: Camera3D = tree_root.get_child(0)
	expect_eq(cam.fov, 60.0, "snapshot props applied")
	expect_eq(mirror.collect_ops().size(), 0, "no echo of the snapshot")
	mirror.load_snapshot({"id": "root", "name": "Root", "type": "Node3D", "props": {}, "resources": {}, "children": []})
	var adds: Array[Dictionary] = ops_of(mirror.collect_ops(), "add")
	expect_eq(adds.size(), 1, "an empty document gets the local subtree again (B-RESYNC-2)")
	if adds.size() == 1:
		expect_eq(adds[0]["id"], "a", "with the ids it had")


func test_malformed_sidecar_messages_are_ignored() -> void:
	var client := SceneSyncClient.new()
	client.mirror.attach(tree_root)
	for text: String in ["not json", "[1, 2]", "{\"t\": 5}", "{\"t\": \"changes\", \"changes\": \"x\"}",
			"{\"t\": \"changes\", \"changes\": [5, {\"kind\": \"added\"}, {\"kind\": \"moved\", \"id\": \"nope\"}]}",
			"{\"t\": \"snapshot\", \"tree\": 3}", "{\"t\": \"whatever\"}"]:
		client.call("_receive", text)
	expect_eq(tree_root.get_child_count(), 0, "nothing was built from malformed messages")
	client.free()


func test_stream_owned_and_remote() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var mine := Node3D.new()
	var theirs := Node3D.new()
	tree_root.add_child(mine)
	tree_root.add_child(theirs)
	mirror.collect_ops()
	mirror.set_owned(mirror.id_of(mine), true)
	mine.position = Vector3(1, 0, 0)
	theirs.position = Vector3(2, 0, 0)
	var ops: Array[Dictionary] = mirror.collect_ops()
	var streamed: Array = mirror.take_stream()
	expect_eq(streamed.size(), 1, "the owned node's transform goes to the stream (B-STREAM-2)")
	if streamed.size() == 1:
		expect_eq(streamed[0][0], mirror.id_of(mine), "its id")
	expect_eq(ops_of(ops, "set").size(), 1, "the other node's transform goes to the document")
	var tid: String = mirror.id_of(theirs)
	mirror.apply_stream([[tid, var_to_str(Transform3D(Basis(), Vector3(5, 0, 0)))], "junk", [tid], [tid, "Object(Node)"]])
	expect_eq(theirs.position, Vector3(5, 0, 0), "a sample is applied")
	expect_eq(mirror.collect_ops().size(), 0, "and not echoed")
	mirror.apply_changes([{"kind": "property", "id": tid, "key": "transform", "value": var_to_str(Transform3D(Basis(), Vector3(4, 0, 0)))}])
	expect_eq(theirs.position, Vector3(5, 0, 0), "an older document commit does not pull a streamed node back (B-STREAM-4)")


func test_resource_properties_apply_in_any_order() -> void:
	# A peer that loads the document gets an Animation's properties sorted by key: `tracks/0/path`
	# before `tracks/0/type`, which makes the track (B-VAL-4).
	var mirror: SceneSyncMirror = _mirror()
	mirror.apply_changes([
		{"kind": "resourceAdded", "id": "anim", "type": "Animation", "props": {
			"length": "2.0",
			"tracks/0/enabled": "true",
			"tracks/0/interp": "1",
			"tracks/0/keys": "PackedFloat32Array(0, 1, 0, 0, 0, 2, 1, 4, 0, 0)",
			"tracks/0/path": "NodePath(\"Slider\")",
			"tracks/0/type": "\"position_3d\"",
		}},
		{"kind": "resourceAdded", "id": "lib", "type": "AnimationLibrary", "props": {"_data": "{&\"slide\": SubResource(\"anim\")}"}},
		{"kind": "added", "id": "p1", "parent": "root", "index": 0, "name": "Player", "type": "AnimationPlayer", "props": {"libraries": "{&\"\": SubResource(\"lib\")}"}},
	])
	var player: AnimationPlayer = tree_root.get_node_or_null("Player")
	expect_true(player != null and player.has_animation(&"slide"), "the animation arrived through two nested references")
	if player == null or not player.has_animation(&"slide"):
		return
	var animation: Animation = player.get_animation(&"slide")
	expect_eq(animation.get_track_count(), 1, "one track")
	expect_eq(animation.track_get_path(0), NodePath("Slider"), "its path took, though it came before the type")
	expect_eq(animation.track_get_key_count(0), 2, "its keys took too")
	expect_eq(animation.position_track_interpolate(0, 1.0), Vector3(2, 0, 0), "and it moves the node half way at 1 s")
	expect_eq(mirror.collect_ops().size(), 0, "applying it is not echoed")


func test_nested_references_to_resources_that_arrive_later() -> void:
	# The player arrives before its library, the library before its animation: each value is read
	# again when what it refers to arrives (B-VAL-1).
	var mirror: SceneSyncMirror = _mirror()
	mirror.apply_changes([
		{"kind": "added", "id": "p2", "parent": "root", "index": 0, "name": "Late", "type": "AnimationPlayer", "props": {"libraries": "{&\"\": SubResource(\"lib2\")}"}},
	])
	var player: AnimationPlayer = tree_root.get_node_or_null("Late")
	expect_true(player != null and not player.has_animation_library(&""), "no library yet")
	mirror.apply_changes([{"kind": "resourceAdded", "id": "lib2", "type": "AnimationLibrary", "props": {"_data": "{&\"wave\": SubResource(\"anim2\")}"}}])
	expect_true(player.has_animation_library(&""), "the library arrived and was set")
	mirror.apply_changes([{"kind": "resourceAdded", "id": "anim2", "type": "Animation", "props": {"length": "3.0"}}])
	expect_true(player.has_animation(&"wave"), "the animation arrived into the library")
	if player.has_animation(&"wave"):
		expect_eq(player.get_animation(&"wave").length, 3.0, "with its properties")
	expect_eq(mirror.collect_ops().size(), 0, "nothing is echoed")
