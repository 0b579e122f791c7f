extends Node
## Test driver: connects to the test's control WebSocket (`--control-url=ws://…` after `--`) and
## performs scripted edits on the mirrored World node, reads the tree back, imports GLB files.

var _control: WebSocketPeer = WebSocketPeer.new()
var _world: Node3D = null
## Pending `watch` commands: [id, node path, key, Variant text], answered when the value matches.
var _watches: Array[Array] = []
## Running `animate` commands: [id, node, frames left, dx]; `record` commands: [id, node, frames left, xs].
var _animations: Array[Array] = []
var _recordings: Array[Array] = []
## The presence dock as a game would add it: following the SceneSync autoload on its own.
var _presence: SceneSyncPresencePanel = SceneSyncPresencePanel.new()


func _ready() -> void:
	_world = $World
	add_child(_presence)
	_control.inbound_buffer_size = 64 * 1024 * 1024
	_control.outbound_buffer_size = 64 * 1024 * 1024
	var url: String = ""
	for arg: String in OS.get_cmdline_user_args():
		if arg.begins_with("--control-url="):
			url = arg.substr("--control-url=".length())
	if url != "":
		_control.connect_to_url(url)


func _process(_delta: float) -> void:
	_control.poll()
	if _control.get_ready_state() == WebSocketPeer.STATE_CLOSED:
		get_tree().quit()
		return
	while _control.get_available_packet_count() > 0:
		var parsed: Variant = JSON.parse_string(_control.get_packet().get_string_from_utf8())
		if parsed is Dictionary:
			_run(parsed)
	_check_watches()
	_step_animations()


func _step_animations() -> void:
	var still: Array[Array] = []
	for a: Array in _animations:
		var node: Node3D = a[1]
		node.position.x += float(a[3])
		a[2] = int(a[2]) - 1
		if int(a[2]) <= 0:
			_reply(a[0], true, node.position.x)
		else:
			still.append(a)
	_animations = still
	var recording: Array[Array] = []
	for r: Array in _recordings:
		var node: Node3D = r[1]
		(r[3] as Array).append(node.position.x)
		r[2] = int(r[2]) - 1
		if int(r[2]) <= 0:
			_reply(r[0], true, r[3])
		else:
			recording.append(r)
	_recordings = recording


func _check_watches() -> void:
	var still: Array[Array] = []
	for w: Array in _watches:
		var node: Node = _node(str(w[1]))
		if node != null and var_to_str(node.get(str(w[2]))) == str(w[3]):
			_reply(w[0], true, Time.get_ticks_usec())
		else:
			still.append(w)
	_watches = still


func _reply(id: Variant, ok: bool, result: Variant) -> void:
	_control.send_text(JSON.stringify({"id": id, "ok": ok, "result": result}))


func _node(path: String) -> Node:
	return _world if path == "" or path == "." else _world.get_node_or_null(NodePath(path))


func _client() -> SceneSyncClient:
	var sync: SceneSyncAutoload = get_node("/root/SceneSync")
	return sync.client


func _run(cmd: Dictionary) -> void:
	var id: Variant = cmd.get("id")
	for key: String in ["path", "parent"]:
		if cmd.has(key) and cmd.get("cmd") != "watch" and _node(str(cmd[key])) == null:
			_reply(id, false, "no node at %s" % cmd[key])
			return
	match str(cmd.get("cmd", "")):
		"status":
			var client: SceneSyncClient = _client()
			_reply(id, true, {"synced": client != null and client.is_synced(), "tracked": client.mirror.tracked_count() if client else 0, "peers": client.peers if client else []})
		"presence":
			_reply(id, true, {"status": _presence.status_text(), "lines": _presence.peer_lines()})
		"add":
			var parent: Node = _node(str(cmd.get("parent", "")))
			var node: Node = ClassDB.instantiate(str(cmd["type"]))
			node.name = str(cmd["name"])
			var props: Dictionary = cmd.get("props", {})
			for key: String in props:
				node.set(key, _value(props[key]))
			parent.add_child(node)
			_reply(id, true, str(_world.get_path_to(node)))
		"add_array_mesh":
			# A MeshInstance3D whose ArrayMesh has two surfaces, each with its own material: the
			# materials live inside `_surfaces`, an array of dictionaries (B-VAL-1).
			var mesh := ArrayMesh.new()
			for surface in 2:
				var arrays: Array = []
				arrays.resize(Mesh.ARRAY_MAX)
				arrays[Mesh.ARRAY_VERTEX] = PackedVector3Array([Vector3(surface, 0, 0), Vector3(surface + 1, 0, 0), Vector3(surface, 1, 0)])
				arrays[Mesh.ARRAY_NORMAL] = PackedVector3Array([Vector3.BACK, Vector3.BACK, Vector3.BACK])
				mesh.add_surface_from_arrays(Mesh.PRIMITIVE_TRIANGLES, arrays)
				var material: Material = null
				if surface == 1 and cmd.has("file_material"):
					material = load(str(cmd["file_material"]))
				else:
					var made := StandardMaterial3D.new()
					made.albedo_color = Color(1, 0, 0, 1) if surface == 0 else Color(0, 0, 1, 1)
					material = made
				mesh.surface_set_material(surface, material)
			var holder := MeshInstance3D.new()
			holder.name = str(cmd["name"])
			holder.mesh = mesh
			_node(str(cmd.get("parent", ""))).add_child(holder)
			_reply(id, true, str(_world.get_path_to(holder)))
		"add_animated":
			# A node and an AnimationPlayer moving it: the animation sits in `libraries`, a dictionary
			# holding an AnimationLibrary, whose `_data` dictionary holds the Animation (B-VAL-1).
			var mover := Node3D.new()
			mover.name = str(cmd["name"])
			_world.add_child(mover)
			var animation := Animation.new()
			animation.length = 2.0
			var track := animation.add_track(Animation.TYPE_POSITION_3D)
			animation.track_set_path(track, NodePath(str(cmd["name"])))
			animation.position_track_insert_key(track, 0.0, Vector3.ZERO)
			animation.position_track_insert_key(track, 2.0, Vector3(4, 0, 0))
			var library := AnimationLibrary.new()
			library.add_animation(&"slide", animation)
			var player := AnimationPlayer.new()
			player.name = str(cmd["name"]) + "Player"
			player.add_animation_library(&"", library)
			_world.add_child(player)
			_reply(id, true, str(_world.get_path_to(player)))
		"anim_info":
			var player: AnimationPlayer = _node(str(cmd["path"]))
			var info: Dictionary = {}
			for anim_name: StringName in player.get_animation_list():
				var animation: Animation = player.get_animation(anim_name)
				info[String(anim_name)] = {"length": animation.length, "tracks": animation.get_track_count(), "path": String(animation.track_get_path(0)) if animation.get_track_count() > 0 else ""}
			_reply(id, true, info)
		"set":
			_node(str(cmd["path"])).set(str(cmd["key"]), _value(cmd["value"]))
			_reply(id, true, null)
		"set_res":
			var res: Resource = _node(str(cmd["path"])).get(str(cmd["key"]))
			res.set(str(cmd["rkey"]), _value(cmd["value"]))
			_reply(id, true, null)
		"rename":
			var node: Node = _node(str(cmd["path"]))
			node.name = str(cmd["name"])
			_reply(id, true, String(node.name))
		"move":
			var node: Node = _node(str(cmd["path"]))
			var parent: Node = _node(str(cmd["parent"]))
			if node.get_parent() != parent:
				node.reparent(parent, false)
			if cmd.has("index"):
				parent.move_child(node, int(cmd["index"]))
			_reply(id, true, str(_world.get_path_to(node)))
		"remove":
			var node: Node = _node(str(cmd["path"]))
			node.get_parent().remove_child(node)
			node.queue_free()
			_reply(id, true, null)
		"load_scene":
			var packed: PackedScene = load(str(cmd["file"]))
			if packed == null:
				_reply(id, false, "cannot load %s" % cmd["file"])
				return
			var inst: Node = packed.instantiate()
			if cmd.get("local", false):
				# "Make Local": the scene's content becomes part of this scene instead of a reference.
				inst.scene_file_path = ""
			_world.add_child(inst)
			_reply(id, true, String(inst.name))
		"dump":
			_reply(id, true, _dump(_world))
		"import_glb":
			_reply(id, true, _import_glb(str(cmd["file"])))
		"send_raw":
			_client().send_raw(str(cmd["text"]))
			_reply(id, true, null)
		"watch":
			_watches.append([id, str(cmd["path"]), str(cmd["key"]), str(cmd["value"])])
			_check_watches()
		"own":
			_client().own(_node(str(cmd["path"])) as Node3D)
			_reply(id, true, null)
		"select":
			var picked: Array = []
			for path: Variant in cmd.get("paths", []):
				picked.append(_node(str(path)))
			_client().set_selection(picked)
			_reply(id, true, null)
		"owned":
			var mirror: SceneSyncMirror = _client().mirror
			_reply(id, true, mirror.is_owned(mirror.id_of(_node(str(cmd["path"])))))
		"animate":
			_animations.append([id, _node(str(cmd["path"])), int(cmd["frames"]), float(cmd["dx"])])
		"record":
			_recordings.append([id, _node(str(cmd["path"])), int(cmd["frames"]), []])
		"frame_usec":
			_reply(id, true, _client().last_frame_usec)
		"quit":
			_reply(id, true, null)
			get_tree().quit()
		_:
			_reply(id, false, "unknown command")


func _value(text: Variant) -> Variant:
	if text is Dictionary:
		var d: Dictionary = text
		if d.has("new"):
			var res: Resource = ClassDB.instantiate(str(d["new"]))
			var props: Dictionary = d.get("props", {})
			for key: String in props:
				res.set(key, str_to_var(str(props[key])))
			return res
	return str_to_var(str(text))


## The tree with every node's class and watched properties (and the transform), as Variant text.
func _dump(node: Node) -> Dictionary:
	var props: Dictionary = {}
	if node is Node3D:
		props["transform"] = var_to_str((node as Node3D).transform)
		props["visible"] = var_to_str((node as Node3D).visible)
	for key: String in SceneSyncReplication.watched_for(node.get_class()):
		var value: Variant = node.get(key)
		props[key] = _dump_value(value)
	var children: Array = []
	for child: Node in node.get_children():
		children.append(_dump(child))
	return {"name": String(node.name), "type": node.get_class(), "props": props, "children": children}


func _dump_value(value: Variant) -> Variant:
	if value is Resource:
		var res: Resource = value
		var out: Dictionary = {"class": res.get_class()}
		var stored: Dictionary[String, Variant] = SceneSyncReplication.stored_non_default(res)
		for key: String in stored:
			out[key] = _dump_value(stored[key])
		return out
	return var_to_str(value)


func _import_glb(file: String) -> Dictionary:
	var doc := GLTFDocument.new()
	var state := GLTFState.new()
	var err: Error = doc.append_from_file(file, state)
	if err != OK:
		return {"error": error_string(err)}
	var scene: Node = doc.generate_scene(state)
	var counts: Dictionary = {}
	var names: Array = []
	_count(scene, counts, names)
	var result: Dictionary = {"meshes": state.get_meshes().size(), "materials": state.get_materials().size(), "nodes": state.get_nodes().size(), "counts": counts, "names": names, "tree": _dump(scene)}
	scene.free()
	return result


func _count(node: Node, counts: Dictionary, names: Array) -> void:
	counts[node.get_class()] = int(counts.get(node.get_class(), 0)) + 1
	names.append(String(node.name))
	for child: Node in node.get_children():
		_count(child, counts, names)
