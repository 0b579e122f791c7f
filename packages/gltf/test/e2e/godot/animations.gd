# Proof of G-ANIM against real Godot, in one process:
#  1. builds a scene with an AnimationPlayer whose animations use every track kind we map
#     (position_3d / rotation_3d / scale_3d, value tracks on position, rotation, rotation_degrees,
#     quaternion, scale, transform; nearest, linear, cubic, easing, holds, discrete updates, loops),
#     saves it as anim.tscn;
#  2. plays every animation and writes each animated node's local transform at the times listed in
#     times.json (written with the scene) to expected.json;
#  3. waits for go.flag (the test has written anim.glb with our importer + exporter), imports it with
#     GLTFDocument (append_from_file + generate_scene), plays the imported animations at the same
#     times and writes imported.json.
extends SceneTree

const NODES := ["A", "B", "C", "D", "E", "F"]



func _add_packed(anim: Animation, type: int, path: String, interp: int, keys: Array) -> void:
	var i := anim.add_track(type)
	anim.track_set_path(i, NodePath(path))
	anim.track_set_interpolation_type(i, interp)
	for k in keys:
		anim.track_insert_key(i, k[0], k[1], k[2] if k.size() > 2 else 1.0)


func _add_value(anim: Animation, path: String, interp: int, keys: Array, update := Animation.UPDATE_CONTINUOUS) -> void:
	var i := anim.add_track(Animation.TYPE_VALUE)
	anim.track_set_path(i, NodePath(path))
	anim.track_set_interpolation_type(i, interp)
	anim.value_track_set_update_mode(i, update)
	for k in keys:
		anim.track_insert_key(i, k[0], k[1], k[2] if k.size() > 2 else 1.0)


func _q(axis: Vector3, angle: float) -> Quaternion:
	return Quaternion(axis.normalized(), angle)


func _build() -> Node3D:
	var root := Node3D.new()
	root.name = "Root"
	var a := Node3D.new(); a.name = "A"; root.add_child(a)
	var b := Node3D.new(); b.name = "B"; root.add_child(b)
	var c := Node3D.new(); c.name = "C"; a.add_child(c)
	var d := Node3D.new(); d.name = "D"; root.add_child(d)
	d.rotation_order = EULER_ORDER_XZY
	var e := MeshInstance3D.new(); e.name = "E"; root.add_child(e)
	e.mesh = BoxMesh.new()
	var f := Node3D.new(); f.name = "F"; c.add_child(f)
	f.position = Vector3(0, 1, 0)
	for n in [a, b, c, d, e, f]:
		n.owner = root
	var player := AnimationPlayer.new()
	player.name = "Player"
	root.add_child(player)
	player.owner = root

	var lib := AnimationLibrary.new()
	var lib2 := AnimationLibrary.new()

	# Linear 3D tracks, a wrapping loop whose first key is after 0, easing on a value track.
	var moves := Animation.new()
	moves.length = 2.0
	moves.loop_mode = Animation.LOOP_LINEAR
	_add_packed(moves, Animation.TYPE_POSITION_3D, "A", Animation.INTERPOLATION_LINEAR, [[0.25, Vector3(0, 0, 0)], [1.0, Vector3(1, 2, 3)], [1.5, Vector3(-1, 0.5, 2)]])
	_add_packed(moves, Animation.TYPE_ROTATION_3D, "B", Animation.INTERPOLATION_LINEAR, [[0.0, _q(Vector3(0, 1, 0), 0.0)], [0.8, _q(Vector3(1, 1, 0), 1.2)], [2.0, _q(Vector3(0, 0, 1), -2.5)]])
	_add_packed(moves, Animation.TYPE_SCALE_3D, "A/C", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(1, 1, 1)], [1.2, Vector3(2, 0.5, 1.5)]])
	_add_packed(moves, Animation.TYPE_ROTATION_3D, "A/C", Animation.INTERPOLATION_CUBIC, [[0.3, _q(Vector3(0, 1, 0), 0.5)], [0.9, _q(Vector3(1, 0, 1), 2.0)], [1.4, _q(Vector3(1, 2, 0), -1.5)], [1.7, _q(Vector3(0, 0, 1), 2.8)]])
	_add_value(moves, "D:position", Animation.INTERPOLATION_LINEAR, [[0.1, Vector3(0, 0, 0), 0.4], [0.9, Vector3(0, 3, 0), -2.0], [1.6, Vector3(2, 1, 0), 0.0], [1.9, Vector3(0, 0, 1), 2.5]])
	lib.add_animation("moves", moves)

	# Nearest tracks and a discrete value track; not looping.
	var steps := Animation.new()
	steps.length = 1.5
	_add_packed(steps, Animation.TYPE_POSITION_3D, "A", Animation.INTERPOLATION_NEAREST, [[0.0, Vector3(0, 1, 0)], [0.5, Vector3(2, 1, 0)], [1.0, Vector3(2, 3, -1)]])
	_add_value(steps, "B:rotation", Animation.INTERPOLATION_NEAREST, [[0.2, Vector3(0.3, 0.5, 0.1)], [0.7, Vector3(-0.4, 1.5, 0.2)]])
	_add_value(steps, "A/C:scale", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(1, 1, 1)], [0.6, Vector3(3, 3, 3)], [1.1, Vector3(0.5, 1, 2)]], Animation.UPDATE_DISCRETE)
	lib.add_animation("steps", steps)

	# Cubic position/scale (3D and value tracks), multi-axis Euler (sampled), quaternion values.
	var curves := Animation.new()
	curves.length = 1.8
	_add_packed(curves, Animation.TYPE_POSITION_3D, "A", Animation.INTERPOLATION_CUBIC, [[0.0, Vector3(0, 0, 0)], [0.5, Vector3(1, 2, 0)], [1.1, Vector3(3, -1, 1)], [1.8, Vector3(0, 0, 2)]])
	_add_packed(curves, Animation.TYPE_ROTATION_3D, "A", Animation.INTERPOLATION_CUBIC, [[0.0, Quaternion()], [0.6, _q(Vector3(0, 1, 1), 1.4)], [1.2, _q(Vector3(1, 0, 0), -0.7)], [1.8, _q(Vector3(1, 1, 1), 3.0)]])
	_add_value(curves, "A/C:quaternion", Animation.INTERPOLATION_CUBIC, [[0.0, _q(Vector3(0, 0, 1), 0.2)], [0.9, _q(Vector3(0, 1, 0), 1.9)], [1.8, _q(Vector3(1, 0, 0), 0.4)]])
	_add_packed(curves, Animation.TYPE_SCALE_3D, "A/C", Animation.INTERPOLATION_CUBIC, [[0.0, Vector3(1, 1, 1)], [0.9, Vector3(2, 1, 0.5)], [1.8, Vector3(1, 3, 1)]])
	_add_value(curves, "B:rotation", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(0, 0, 0)], [1.0, Vector3(1.0, 2.0, -0.5)], [1.8, Vector3(-0.5, 0.3, 2.0)]])
	_add_value(curves, "D:position", Animation.INTERPOLATION_CUBIC, [[0.0, Vector3(0, 0, 0)], [0.6, Vector3(0, 2, 1)], [1.4, Vector3(1, 0, -1)]])
	_add_value(curves, "A/C/F:quaternion", Animation.INTERPOLATION_LINEAR, [[0.0, Quaternion()], [0.9, _q(Vector3(1, 0, 1), 2.0)], [1.8, _q(Vector3(0, 1, 0), -1.0)]])
	_add_value(curves, "E:rotation", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(0, 0, 0)], [1.8, Vector3(0, 0, 5.5)]])
	lib.add_animation("curves", curves)

	# Second library: single-axis Euler (exact), degrees, whole transforms, Euler order XZY, ping-pong.
	var euler := Animation.new()
	euler.length = 1.0
	euler.loop_mode = Animation.LOOP_PINGPONG
	_add_value(euler, "B:rotation_degrees", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(0, 0, 0)], [0.5, Vector3(0, 170, 0)], [1.0, Vector3(0, 10, 0)]])
	_add_value(euler, "E:transform", Animation.INTERPOLATION_LINEAR, [[0.0, Transform3D(Basis(), Vector3(1, 0, 0))], [1.0, Transform3D(Basis(_q(Vector3(0, 1, 0), 1.0)).scaled(Vector3(2, 2, 2)), Vector3(0, 2, 0))]])
	_add_value(euler, "D:rotation", Animation.INTERPOLATION_LINEAR, [[0.0, Vector3(0.2, 0.4, 0.6)], [1.0, Vector3(1.0, -0.5, 0.3)]])
	_add_packed(euler, Animation.TYPE_POSITION_3D, "A/C/F", Animation.INTERPOLATION_LINEAR, [[0.3, Vector3(0, 1, 0)], [0.7, Vector3(0, 2, 0)]])
	lib2.add_animation("euler", euler)

	player.add_animation_library("", lib)
	player.add_animation_library("extra", lib2)
	return root


# Plays one animation with a fresh AnimationPlayer holding only that animation: a player caches the
# tracks of every animation it holds and resets those the playing one lacks, which would mix
# animations into each other's samples.
func _sample(source: AnimationPlayer, anim_name: String, times: Array, nodes: Dictionary, rest: Dictionary) -> Array:
	var out: Array = []
	for n in nodes:
		(nodes[n] as Node3D).transform = rest[n]
	var player := AnimationPlayer.new()
	source.get_parent().add_child(player)
	player.root_node = player.get_path_to(source.get_node(source.root_node))
	var lib := AnimationLibrary.new()
	lib.add_animation("a", source.get_animation(anim_name))
	player.add_animation_library("", lib)
	player.play("a")
	for t in times:
		player.seek(t, true)
		var frame := {}
		for n in nodes:
			var x: Transform3D = (nodes[n] as Node3D).transform
			var bb := x.basis
			frame[n] = [bb.x.x, bb.y.x, bb.z.x, bb.x.y, bb.y.y, bb.z.y, bb.x.z, bb.y.z, bb.z.z, x.origin.x, x.origin.y, x.origin.z]
		out.append(frame)
	player.stop()
	player.queue_free()
	for n in nodes:
		(nodes[n] as Node3D).transform = rest[n]
	return out


func _find(n: Node, name: String) -> Node:
	if String(n.name) == name:
		return n
	for c in n.get_children():
		var r := _find(c, name)
		if r != null:
			return r
	return null


func _find_player(n: Node) -> AnimationPlayer:
	if n is AnimationPlayer:
		return n
	for c in n.get_children():
		var r := _find_player(c)
		if r != null:
			return r
	return null


func _sample_scene(scene: Node, times: Dictionary) -> Dictionary:
	var player := _find_player(scene)
	var nodes := {}
	var rest := {}
	for n in NODES:
		var node := _find(scene, n)
		if node != null:
			nodes[n] = node
			rest[n] = (node as Node3D).transform
	var result := {}
	if player == null:
		return result
	for anim_name in player.get_animation_list():
		var key := String(anim_name)
		# Godot's importer replaces "/" (not allowed in animation names) with "_".
		var t: Array = []
		for tk: String in times:
			if tk == key or tk.replace("/", "_") == key:
				t = times[tk]
		result[key] = {"length": player.get_animation(anim_name).length, "frames": _sample(player, key, t, nodes, rest)}
	return result


func _initialize() -> void:
	var dir: String = get_script().resource_path.get_base_dir()
	var built := _build()
	var packed := PackedScene.new()
	packed.pack(built)
	ResourceSaver.save(packed, dir + "/anim.tscn")
	built.free()

	var times: Dictionary = JSON.parse_string(FileAccess.get_file_as_string(dir + "/times.json"))
	var original: Node = (load(dir + "/anim.tscn") as PackedScene).instantiate()
	root.add_child(original)
	var expected := _sample_scene(original, times)
	original.queue_free()
	var f := FileAccess.open(dir + "/expected.json", FileAccess.WRITE)
	f.store_string(JSON.stringify(expected))
	f.close()

	var waited := 0
	while not FileAccess.file_exists(dir + "/go.flag") and waited < 60000:
		OS.delay_msec(20)
		waited += 20
	var doc := GLTFDocument.new()
	var state := GLTFState.new()
	var err := doc.append_from_file(dir + "/anim.glb", state)
	var imported := {}
	if err == OK:
		var scene := doc.generate_scene(state)
		root.add_child(scene)
		imported = _sample_scene(scene, times)
	var g := FileAccess.open(dir + "/imported.json", FileAccess.WRITE)
	g.store_string(JSON.stringify({"error": err, "animations": imported}))
	g.close()
	quit()
