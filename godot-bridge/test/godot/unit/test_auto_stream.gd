extends "res://tests/test_case.gd"
## B-STREAM-5: a Node3D that moves on consecutive frames without being owned is claimed and streamed
## (its transform leaves the document), and released once it rests. Each collect_ops() is one frame.


func _moving_node(mirror: SceneSyncMirror) -> Node3D:
	var node := Node3D.new()
	node.name = "Mover"
	tree_root.add_child(node)
	mirror.collect_ops()
	return node


func _mirror() -> SceneSyncMirror:
	var mirror := SceneSyncMirror.new()
	mirror.attach(tree_root)
	mirror.collect_ops()
	return mirror


func _step(mirror: SceneSyncMirror, node: Node3D) -> Array[Dictionary]:
	node.position.x += 0.1
	return ops_of(mirror.collect_ops(), "set")


## A node moved on three frames, claimed; auto release after 30 ms.
func _claimed_node(mirror: SceneSyncMirror) -> Node3D:
	mirror.auto_release_msec = 30
	var node: Node3D = _moving_node(mirror)
	for i: int in 3:
		_step(mirror, node)
	expect_eq(mirror.take_claims(), PackedStringArray([mirror.id_of(node)]), "claimed")
	return node


func test_three_moving_frames_claim_the_node_and_later_frames_are_streamed() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var node: Node3D = _moving_node(mirror)
	var id: String = mirror.id_of(node)
	expect_eq(_step(mirror, node).size(), 1, "frame 1: a document op")
	expect_eq(mirror.take_claims(), PackedStringArray(), "frame 1: no claim")
	expect_eq(_step(mirror, node).size(), 1, "frame 2: a document op")
	expect_eq(_step(mirror, node).size(), 1, "frame 3: still a document op")
	expect_eq(mirror.take_claims(), PackedStringArray([id]), "frame 3: the node is claimed")
	expect_true(mirror.is_owned(id) and mirror.is_auto_owned(id), "owned, automatically")
	mirror.take_stream()
	expect_eq(_step(mirror, node).size(), 0, "frame 4: no document op")
	var streamed: Array = mirror.take_stream()
	expect_eq(streamed.size(), 1, "frame 4: streamed")
	if streamed.size() == 1:
		expect_eq(streamed[0][0], id, "the moving node's id")
		expect_eq(str_to_var(streamed[0][1]), node.transform, "its transform")
	expect_eq(mirror.take_claims(), PackedStringArray(), "claimed once")


func test_changes_with_gaps_are_not_motion() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var node: Node3D = _moving_node(mirror)
	for i: int in 6:
		if i % 2 == 0:
			_step(mirror, node)
		else:
			mirror.collect_ops()
	expect_eq(mirror.take_claims(), PackedStringArray(), "a change every other frame claims nothing")
	expect_true(not mirror.is_owned(mirror.id_of(node)), "not owned")


func test_a_rested_node_is_released_and_written_to_the_document_again() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var node: Node3D = _claimed_node(mirror)
	var id: String = mirror.id_of(node)
	_step(mirror, node)
	mirror.collect_ops()
	expect_eq(mirror.take_releases(), PackedStringArray(), "not released while it has just moved")
	OS.delay_msec(45)
	mirror.collect_ops()
	expect_eq(mirror.take_releases(), PackedStringArray([id]), "released after resting")
	expect_true(not mirror.is_owned(id), "no longer owned")
	expect_eq(_step(mirror, node).size(), 1, "its next change is a document op again")


func test_a_lost_claim_is_not_retried_at_once_and_explicit_claims_are_never_released() -> void:
	var mirror: SceneSyncMirror = _mirror()
	var node: Node3D = _claimed_node(mirror)
	var id: String = mirror.id_of(node)
	mirror.claim_lost(id)
	expect_true(not mirror.is_owned(id), "another peer holds it")
	for i: int in 6:
		expect_eq(_step(mirror, node).size(), 1, "document ops while another peer holds it (frame %d)" % i)
	expect_eq(mirror.take_claims(), PackedStringArray(), "no new claim during the back-off")

	var held := Node3D.new()
	held.name = "Held"
	tree_root.add_child(held)
	mirror.collect_ops()
	var held_id: String = mirror.id_of(held)
	mirror.set_owned(held_id, true)
	held.position.x = 1.0
	mirror.collect_ops()
	OS.delay_msec(45)
	mirror.collect_ops()
	expect_eq(mirror.take_releases(), PackedStringArray(), "an explicit claim is not released")
	expect_true(mirror.is_owned(held_id), "still owned")


func test_off_when_auto_stream_frames_is_zero() -> void:
	var mirror: SceneSyncMirror = _mirror()
	mirror.auto_stream_frames = 0
	var node: Node3D = _moving_node(mirror)
	for i: int in 10:
		expect_eq(_step(mirror, node).size(), 1, "frame %d: a document op" % i)
	expect_eq(mirror.take_claims(), PackedStringArray(), "never claimed")
