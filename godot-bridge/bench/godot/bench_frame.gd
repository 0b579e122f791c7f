extends SceneTree
## Per-frame cost of the addon's mirror (SceneSyncMirror.collect_ops + JSON encoding of the ops),
## measured inside Godot with Time.get_ticks_usec over real engine frames.
## User args: --nodes=N --changing=K --frames=F --mode=mirror|naive
##   mirror: the addon (per-class watch lists, transform fast path, round-robin property checks)
##   naive:  baseline, a generic diff of every stored property of every node each frame
## Prints `SCENESYNC_BENCH {json}` with per-frame microseconds (mean, p50, p99).

var _nodes: Array[Node3D] = []
var _mirror: SceneSyncMirror = null
var _naive_shadow: Array[Dictionary] = []
var _frames: int = 0
var _frame: int = 0
var _changing: int = 0
var _mode: String = "mirror"
var _samples: PackedInt64Array = PackedInt64Array()
var _sent_ops: int = 0
var _holder: Node3D = null


var _count: int = 1000


func _initialize() -> void:
	for arg: String in OS.get_cmdline_user_args():
		var kv: PackedStringArray = arg.trim_prefix("--").split("=")
		if kv.size() != 2:
			continue
		match kv[0]:
			"nodes": _count = int(kv[1])
			"changing": _changing = int(kv[1])
			"frames": _frames = int(kv[1])
			"mode": _mode = kv[1]


# Built on the first frame: only then are nodes added to the root inside the tree.
func _setup() -> void:
	var count: int = _count
	_holder = Node3D.new()
	root.add_child(_holder)
	var mesh := BoxMesh.new()
	for i: int in count:
		var node: Node3D
		if i % 4 == 0:
			var mi := MeshInstance3D.new()
			mi.mesh = mesh
			node = mi
		else:
			node = Node3D.new()
		node.name = "N%d" % i
		node.position = Vector3(i % 100, i / 100, 0)
		# A tree of depth 2: groups of 50 under one parent each.
		if i % 50 == 0 or _nodes.is_empty():
			_holder.add_child(node)
		else:
			_nodes[i - i % 50].add_child(node)
		_nodes.append(node)
	if _mode == "mirror":
		_mirror = SceneSyncMirror.new()
		_mirror.attach(_holder)
		_mirror.collect_ops()
	else:
		for node: Node3D in _nodes:
			_naive_shadow.append(_stored(node))


func _process(_delta: float) -> bool:
	if _holder == null:
		_setup()
		return false
	for i: int in _changing:
		var node: Node3D = _nodes[(_frame * _changing + i) % _nodes.size()]
		node.position.x += 0.01
	var started: int = Time.get_ticks_usec()
	if _mode == "mirror":
		var ops: Array[Dictionary] = _mirror.collect_ops()
		if not ops.is_empty():
			_sent_ops += ops.size()
			var _text: String = JSON.stringify({"t": "ops", "ops": ops})
	else:
		var ops: Array = []
		for i: int in _nodes.size():
			var now: Dictionary = _stored(_nodes[i])
			for key: String in now:
				if not _naive_shadow[i].has(key) or _naive_shadow[i][key] != now[key]:
					ops.append({"op": "set", "key": key, "value": var_to_str(now[key])})
			_naive_shadow[i] = now
		_sent_ops += ops.size()
		if not ops.is_empty():
			var _text: String = JSON.stringify({"t": "ops", "ops": ops})
	var took: int = Time.get_ticks_usec() - started
	_frame += 1
	if _frame > 10:
		_samples.append(took)
	if _frame >= _frames + 10:
		_report()
		return true
	return false


func _stored(node: Node) -> Dictionary:
	var out: Dictionary = {}
	for info: Dictionary in node.get_property_list():
		if int(info["usage"]) & PROPERTY_USAGE_STORAGE != 0:
			out[info["name"]] = node.get(info["name"])
	return out


func _report() -> void:
	var sorted: PackedInt64Array = _samples.duplicate()
	sorted.sort()
	var total: int = 0
	for s: int in sorted:
		total += s
	print("SCENESYNC_BENCH ", JSON.stringify({
		"mode": _mode, "nodes": _nodes.size(), "changing": _changing, "frames": sorted.size(),
		"mean_us": float(total) / sorted.size(), "p50_us": sorted[sorted.size() / 2],
		"p99_us": sorted[mini(sorted.size() - 1, int(sorted.size() * 0.99))], "ops": _sent_ops}))
