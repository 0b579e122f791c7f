@tool
class_name SceneSyncMirror
extends RefCounted
## Mirrors one Godot subtree onto a scenesync document, both ways (docs/bridge-protocol.md).
##
## Local edits are found from SceneTree/Node signals (structure, names) and cheap per-frame checks
## (transforms of every Node3D each frame; the other watched properties of a slice of the nodes each
## frame; resources when they emit `changed`), and returned as protocol ops by collect_ops().
## Remote changes are applied by apply_changes(); a shadow copy of what the document holds makes
## sure they are never reported back as local edits (B-ECHO).

## The id of the mirrored root in the document (R-ROOT).
const ROOT_ID: String = "root"
## Meta key holding a node's document id (kept when the scene is saved).
const ID_META: StringName = &"scenesync_id"
## Node property (docs/tscn.md) holding the PackedScene an instanced node comes from.
const INSTANCE_KEY: String = "tscn:instance"
const _ID_CHARS: String = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

## Time per frame spent comparing class-specific watched properties (round robin over the nodes
## that have some); at least `property_checks_min` nodes are checked per frame whatever the time.
## Transforms and visibility of every Node3D are checked every frame regardless.
var property_check_budget_usec: int = 150
var property_checks_min: int = 8
## Node3D transforms (and visibility) compared per frame. Up to this many Node3Ds, every one is
## checked every frame; beyond, nodes that changed in the last HOT_FRAMES frames are checked every
## frame and the others in a sweep of this many per frame (a first move is seen within
## count / transform_checks_per_frame frames).
var transform_checks_per_frame: int = 1000
const HOT_FRAMES: int = 10
## B-STREAM-5: a Node3D this peer does not own whose transform changes on this many consecutive
## frames (game code, physics, an animation, a gizmo drag) is claimed and streamed like an owned
## node, so continuous motion does not write the document every frame; 0 turns this off.
var auto_stream_frames: int = 3
## A node claimed that way is released once it has not moved for this long (the stream has long
## committed its resting transform by then).
var auto_release_msec: int = 2000
## After a claim of ours lost to another peer, the node is not claimed again for this long.
const CLAIM_BACKOFF_MSEC: int = 5000

var _root: Node = null
var _node_of: Dictionary[String, Node] = {}
var _shadow_parent: Dictionary[String, String] = {}
var _shadow_children: Dictionary[String, PackedStringArray] = {}
var _shadow_name: Dictionary[String, String] = {}
var _shadow_props: Dictionary[String, Dictionary] = {}
var _spatial_nodes: Array[Node3D] = []
var _spatial_visible: Array[bool] = []
var _spatial_ids: PackedStringArray = PackedStringArray()
var _spatial_transforms: Array[Transform3D] = []
var _spatial_index: Dictionary[String, int] = {}
var _spatial_removed: Dictionary[int, bool] = {}
## Large trees only: spatial indexes checked every frame, and the frame until which each stays so.
var _hot_index := PackedInt32Array()
var _hot_until := PackedInt32Array()
var _sweep_cursor: int = 0
var _frame: int = 0
## Nodes with class-specific watched properties (lights, meshes, cameras, CSG), checked round robin.
var _watched_ids: PackedStringArray = PackedStringArray()
var _watched_index: Dictionary[String, int] = {}
var _watched_lists: Dictionary[String, Array] = {}
var _check_cursor: int = 0
## Instance ids of parents whose children changed (ids, not Nodes: a key may be freed meanwhile).
var _dirty_parents: Dictionary[int, bool] = {}
var _dirty_names: Dictionary[String, bool] = {}
var _dirty_resources: Dictionary[String, bool] = {}
var _order_connected: Dictionary[int, bool] = {}
var _res_of: Dictionary[String, Resource] = {}
var _res_id_of: Dictionary[int, String] = {}
var _shadow_res_props: Dictionary[String, Dictionary] = {}
var _pending_refs: Dictionary[String, Array] = {}
var _ops: Array[Dictionary] = []
var _applying: bool = false
## B-ACK: what ops sent but not yet acknowledged change ("p|id|key", "n|id", "m|id", "r|id|key",
## "o|parent") → the sequence number of the last such message. A remote change to one of these is
## older than the local edit in the document, so it is not applied.
var _unacked: Dictionary[String, int] = {}
var _pending: Dictionary[String, bool] = {}
## Nodes this peer owns: their transforms go to the ephemeral stream, not the document (B-STREAM).
var _owned: Dictionary[String, bool] = {}
var _stream_out: Array = []
## Ticks (msec) until which a node counts as streamed by a peer: document commits of its transform,
## which lag behind the stream, are not applied meanwhile (the stream's samples are newer).
var _streamed_until: Dictionary[String, int] = {}
const STREAM_HOLD_MSEC: int = 500
## B-STREAM-5 bookkeeping: by spatial index, the frame each Node3D last changed and how many
## consecutive frames it has (cleared when indexes move); the nodes claimed automatically (id → msec
## they last moved), claims that lost (id → msec to wait until), and the claims and releases for the
## client to send.
var _changed_frame := PackedInt32Array()
var _streak := PackedInt32Array()
var _auto_owned: Dictionary[String, int] = {}
var _claim_backoff: Dictionary[String, int] = {}
var _claims := PackedStringArray()
var _releases := PackedStringArray()
var _now_msec: int = 0


## Starts mirroring `root`'s subtree. Its existing children are sent as `add` ops by the next
## collect_ops() unless a snapshot replaces them first.
func attach(root: Node) -> void:
	_root = root
	_map_node(root, ROOT_ID, "")
	var tree: SceneTree = root.get_tree()
	if not tree.node_added.is_connected(_on_node_added):
		tree.node_added.connect(_on_node_added)
		tree.node_removed.connect(_on_node_removed)
		tree.node_renamed.connect(_on_node_renamed)
	_dirty_parents[root.get_instance_id()] = true


## Stops mirroring; the local tree is left as it is.
func detach() -> void:
	if _root != null and _root.is_inside_tree():
		var tree: SceneTree = _root.get_tree()
		if tree.node_added.is_connected(_on_node_added):
			tree.node_added.disconnect(_on_node_added)
			tree.node_removed.disconnect(_on_node_removed)
			tree.node_renamed.disconnect(_on_node_renamed)
	_root = null


## The mirrored root (null before attach).
func get_root() -> Node:
	return _root


## The node with document id `id`, or null.
func node_of(id: String) -> Node:
	return _live_node(id)


## The live node mapped to `id`, or null (also when it was freed since).
func _live_node(id: String) -> Node:
	var obj: Variant = _node_of.get(id, null)
	if not is_instance_valid(obj):
		return null
	return obj


## The document id of `node`, or "" when it is not mirrored.
func id_of(node: Node) -> String:
	if node == _root:
		return ROOT_ID
	var id: String = node.get_meta(ID_META, "")
	return id if _node_of.has(id) and _live_node(id) == node else ""


## Number of mirrored nodes (the root included).
func tracked_count() -> int:
	return _node_of.size()


## Every local edit since the last call, as protocol ops (B-OPS), in the order they must apply.
func collect_ops() -> Array[Dictionary]:
	if _root == null:
		return []
	if not _dirty_parents.is_empty():
		_flush_structure()
	if not _spatial_removed.is_empty():
		_compact_spatial()
	if not _dirty_names.is_empty():
		_flush_names()
	_now_msec = Time.get_ticks_msec()
	_check_transforms()
	if not _auto_owned.is_empty():
		_release_rested()
	_check_watched_slice()
	if not _dirty_resources.is_empty():
		_flush_resources()
	var out: Array[Dictionary] = _ops
	_ops = []
	return out


# --- signals -------------------------------------------------------------------------------------

func _on_node_added(node: Node) -> void:
	if _applying or _root == null or not _root.is_ancestor_of(node):
		return
	_dirty_parents[node.get_parent().get_instance_id()] = true


func _on_node_removed(node: Node) -> void:
	if _applying or _root == null:
		return
	var parent: Node = node.get_parent()
	if parent != null and (parent == _root or _root.is_ancestor_of(parent)):
		_dirty_parents[parent.get_instance_id()] = true


func _on_node_renamed(node: Node) -> void:
	if _applying or _root == null:
		return
	var id: String = id_of(node)
	if id != "":
		_dirty_names[id] = true


func _on_child_order_changed(parent: Node) -> void:
	if _applying or _root == null or not is_instance_valid(parent):
		return
	_dirty_parents[parent.get_instance_id()] = true


func _on_resource_changed(id: String) -> void:
	if not _applying:
		_dirty_resources[id] = true


# --- local structure → ops -----------------------------------------------------------------------

func _flush_structure() -> void:
	var parents: Array[Node] = []
	for iid: int in _dirty_parents:
		var parent: Node = instance_from_id(iid) as Node
		if parent != null:
			parents.append(parent)
	_dirty_parents.clear()
	var current: Dictionary[String, PackedStringArray] = {}
	var new_nodes: Array[Node] = []
	var new_parent_of: Dictionary[String, String] = {}
	var moved: Array[String] = []
	for parent: Node in parents:
		var pid: String = id_of(parent)
		if pid == "" or not _inside(parent):
			continue
		_scan_children(parent, pid, current, new_nodes, new_parent_of, moved)
	# Nodes that left a dirty parent and are no longer anywhere under the root. (A node that moved
	# elsewhere under the root made its new parent dirty too, so it is in new_parent_of.)
	var vanished: Dictionary[String, bool] = {}
	for pid: String in current:
		for old_id: String in _shadow_children.get(pid, PackedStringArray()):
			if new_parent_of.has(old_id):
				continue
			var node: Node = _live_node(old_id)
			if node == null or not is_instance_valid(node) or not _inside(node):
				vanished[old_id] = true
	for node: Node in new_nodes:
		_emit_add(node)
	for id: String in moved:
		_emit_move(id, new_parent_of[id], -1)
	for id: String in vanished:
		if not vanished.has(_shadow_parent.get(id, "")):
			_ops.append({"op": "remove", "id": id})
			_shadow_detach(id)
	for id: String in vanished:
		_unmap_subtree(id)
	for pid: String in current:
		_reorder(pid, current[pid])


## Records the children of `parent` (id `pid`): new ones (with their subtrees) into new_nodes,
## known ones under a new parent into moved. A new node's known children always count as moved, since
## their recorded parent cannot be the id just claimed.
func _scan_children(parent: Node, pid: String, current: Dictionary[String, PackedStringArray], new_nodes: Array[Node], new_parent_of: Dictionary[String, String], moved: Array[String]) -> void:
	var ids := PackedStringArray()
	if _is_instance(parent):
		current[pid] = ids
		return
	for child: Node in parent.get_children():
		var cid: String = id_of(child)
		if cid == "":
			cid = _claim_id(child)
			new_nodes.append(child)
			new_parent_of[cid] = pid
			_scan_children(child, cid, current, new_nodes, new_parent_of, moved)
		elif _shadow_parent.get(cid, "") != pid:
			new_parent_of[cid] = pid
			moved.append(cid)
		else:
			new_parent_of[cid] = pid
		ids.append(cid)
	current[pid] = ids


## Removes `id` from the shadow child list of the parent it is recorded under (before a move or unmap).
func _shadow_detach(id: String) -> void:
	var old_parent: String = _shadow_parent.get(id, "")
	if not _shadow_children.has(old_parent):
		return
	var siblings: PackedStringArray = _shadow_children[old_parent]
	var at: int = siblings.find(id)
	if at >= 0:
		siblings.remove_at(at)
		_shadow_children[old_parent] = siblings


## Gives `node` an id: its saved meta id when free, else a fresh one. Not yet mapped.
func _claim_id(node: Node) -> String:
	var id: String = node.get_meta(ID_META, "")
	if id == "" or id == ROOT_ID or _node_of.has(id):
		id = _new_id()
	node.set_meta(ID_META, id)
	return id


func _emit_add(node: Node) -> void:
	var id: String = node.get_meta(ID_META, "")
	var parent_id: String = id_of(node.get_parent())
	var props: Dictionary = {}
	var stored: Dictionary[String, Variant] = SceneSyncReplication.stored_non_default(node)
	for key: String in stored:
		props[key] = encode_value(stored[key])
	if node is Node3D:
		props["transform"] = var_to_str((node as Node3D).transform)
	if _is_instance(node):
		props[INSTANCE_KEY] = {"ext": node.scene_file_path, "type": "PackedScene"}
	_ops.append({"op": "add", "id": id, "parent": parent_id, "name": String(node.name), "type": node.get_class(), "props": props})
	_map_node(node, id, parent_id)
	var siblings: PackedStringArray = _shadow_children.get(parent_id, PackedStringArray())
	siblings.append(id)
	_shadow_children[parent_id] = siblings


func _emit_move(id: String, new_parent: String, index: int) -> void:
	_shadow_detach(id)
	var siblings: PackedStringArray = _shadow_children.get(new_parent, PackedStringArray())
	if index < 0 or index > siblings.size():
		siblings.append(id)
		_ops.append({"op": "move", "id": id, "parent": new_parent})
	else:
		siblings.insert(index, id)
		_ops.append({"op": "move", "id": id, "parent": new_parent, "index": index})
	_shadow_children[new_parent] = siblings
	_shadow_parent[id] = new_parent


## Emits the moves that turn the document's child order of `pid` into `target`.
func _reorder(pid: String, target: PackedStringArray) -> void:
	var sim: PackedStringArray = _shadow_children.get(pid, PackedStringArray())
	if sim == target:
		return
	for i: int in target.size():
		if i < sim.size() and sim[i] == target[i]:
			continue
		var id: String = target[i]
		var at: int = sim.find(id)
		if at >= 0:
			sim.remove_at(at)
		sim.insert(mini(i, sim.size()), id)
		_ops.append({"op": "move", "id": id, "parent": pid, "index": i})
	_shadow_children[pid] = sim


func _flush_names() -> void:
	for id: String in _dirty_names:
		var node: Node = _live_node(id)
		if node == null or not is_instance_valid(node):
			continue
		var name: String = String(node.name)
		if name != _shadow_name.get(id, ""):
			_shadow_name[id] = name
			_ops.append({"op": "rename", "id": id, "name": name})
	_dirty_names.clear()


func _check_transforms() -> void:
	var count: int = _spatial_nodes.size()
	_frame += 1
	if count <= transform_checks_per_frame:
		# Every Node3D every frame: the common case, kept inline because it is the hottest loop.
		var i: int = 0
		for node: Node3D in _spatial_nodes:
			var t: Transform3D = node.transform
			if t != _spatial_transforms[i]:
				_spatial_transforms[i] = t
				var id: String = _spatial_ids[i]
				if _owned.has(id):
					_stream_out.append([id, var_to_str(t)])
					if _auto_owned.has(id):
						_auto_owned[id] = _now_msec
				else:
					_ops.append({"op": "set", "id": id, "key": "transform", "value": var_to_str(t)})
					if auto_stream_frames > 0:
						_note_motion(i, id)
			if node.visible != _spatial_visible[i]:
				_spatial_visible[i] = node.visible
				_ops.append({"op": "set", "id": _spatial_ids[i], "key": "visible", "value": var_to_str(node.visible)})
			i += 1
		return
	# Large trees: nodes that changed in the last HOT_FRAMES frames every frame, the others in a
	# sweep of `transform_checks_per_frame` per frame, so an idle tree costs the same at any size.
	if _hot_until.size() != count:
		_hot_until.resize(count)
	if not _hot_index.is_empty():
		var still := PackedInt32Array()
		for at: int in _hot_index:
			if _hot_until[at] < _frame:
				_hot_until[at] = 0
				continue
			var hot_node: Node3D = _spatial_nodes[at]
			if hot_node.transform != _spatial_transforms[at] or hot_node.visible != _spatial_visible[at]:
				_check_spatial(at)
			still.append(at)
		_hot_index = still
	# Inline for the same reason as above; a change found here makes the node hot.
	var at: int = _sweep_cursor
	for _k: int in transform_checks_per_frame:
		at += 1
		if at >= count:
			at = 0
		var node: Node3D = _spatial_nodes[at]
		if node.transform != _spatial_transforms[at] or node.visible != _spatial_visible[at]:
			_check_spatial(at)
	_sweep_cursor = at


## A local transform change of the Node3D at spatial index `i`: streamed when this peer owns the
## node, a document op otherwise (the same as the inline loop of _check_transforms).
func _transform_changed(i: int, t: Transform3D) -> void:
	var id: String = _spatial_ids[i]
	if _owned.has(id):
		_stream_out.append([id, var_to_str(t)])
		if _auto_owned.has(id):
			_auto_owned[id] = _now_msec
		return
	_ops.append({"op": "set", "id": id, "key": "transform", "value": var_to_str(t)})
	if auto_stream_frames > 0:
		_note_motion(i, id)


## B-STREAM-5: counts consecutive frames with a change; at `auto_stream_frames` the node is claimed
## (streamed from the next frame on, once the client has sent the claim).
func _note_motion(i: int, id: String) -> void:
	if _changed_frame.size() != _spatial_nodes.size():
		_changed_frame.resize(_spatial_nodes.size())
		_streak.resize(_spatial_nodes.size())
	var streak: int = _streak[i] + 1 if _changed_frame[i] == _frame - 1 else 1
	_changed_frame[i] = _frame
	_streak[i] = streak
	if streak < auto_stream_frames or _claim_backoff.get(id, 0) > _now_msec:
		return
	_streak[i] = 0
	_claim_backoff.erase(id)
	_owned[id] = true
	_auto_owned[id] = _now_msec
	_claims.append(id)


func _release_rested() -> void:
	for id: String in _auto_owned.keys():
		if _now_msec - _auto_owned[id] >= auto_release_msec:
			_auto_owned.erase(id)
			_owned.erase(id)
			_releases.append(id)


## Compares one Node3D's transform and visibility with the shadow; true when something changed.
func _check_spatial(i: int) -> bool:
	var node: Node3D = _spatial_nodes[i]
	var t: Transform3D = node.transform
	var changed: bool = false
	if t != _spatial_transforms[i]:
		changed = true
		_spatial_transforms[i] = t
		_transform_changed(i, t)
	if node.visible != _spatial_visible[i]:
		changed = true
		_spatial_visible[i] = node.visible
		_ops.append({"op": "set", "id": _spatial_ids[i], "key": "visible", "value": var_to_str(node.visible)})
	if changed:
		if _hot_until[i] == 0:
			_hot_index.append(i)
		_hot_until[i] = _frame + HOT_FRAMES
	return changed


func _check_watched_slice() -> void:
	var count: int = _watched_ids.size()
	if count == 0:
		return
	var deadline: int = Time.get_ticks_usec() + property_check_budget_usec
	for n: int in count:
		if n >= property_checks_min and Time.get_ticks_usec() > deadline:
			break
		_check_cursor = (_check_cursor + 1) % count
		var id: String = _watched_ids[_check_cursor]
		var node: Node = _live_node(id)
		if node == null or not is_instance_valid(node):
			continue
		var shadow: Dictionary = _shadow_props[id]
		for key: StringName in _watched_lists[id]:
			var value: Variant = node.get(key)
			var old: Variant = shadow.get(key, null)
			if typeof(value) != typeof(old) or value != old:
				shadow[key] = value
				_ops.append({"op": "set", "id": id, "key": String(key), "value": encode_value(value)})


func _flush_resources() -> void:
	for id: String in _dirty_resources:
		var res: Resource = _res_of.get(id, null)
		if res == null:
			continue
		var shadow: Dictionary = _shadow_res_props.get(id, {})
		var now: Dictionary[String, Variant] = SceneSyncReplication.stored_non_default(res)
		for key: String in now:
			var value: Variant = now[key]
			var old: Variant = shadow.get(key, null)
			if not shadow.has(key) or typeof(value) != typeof(old) or value != old:
				_ops.append({"op": "res_set", "id": id, "key": key, "value": encode_value(value)})
		for key: String in shadow:
			if not now.has(key):
				_ops.append({"op": "res_set", "id": id, "key": key, "value": encode_value(res.get(key))})
		_shadow_res_props[id] = now
	_dirty_resources.clear()


# --- ephemeral stream ----------------------------------------------------------------------------

## Marks `id` as owned (its transform changes are streamed) or not.
func set_owned(id: String, owned: bool) -> void:
	if owned:
		_owned[id] = true
	else:
		_owned.erase(id)
		_auto_owned.erase(id)


## Another peer holds `id` (the sidecar's `owner` answer to a claim of ours): stop streaming it, and
## do not claim it automatically again for CLAIM_BACKOFF_MSEC.
func claim_lost(id: String) -> void:
	set_owned(id, false)
	_claim_backoff[id] = Time.get_ticks_msec() + CLAIM_BACKOFF_MSEC


## Nodes claimed automatically since the last call (B-STREAM-5): the client sends `own` for each.
func take_claims() -> PackedStringArray:
	var out: PackedStringArray = _claims
	_claims = PackedStringArray()
	return out


## Automatic claims given up since the last call (their nodes rested): the client sends `release`.
func take_releases() -> PackedStringArray:
	var out: PackedStringArray = _releases
	_releases = PackedStringArray()
	return out


## True when `id` was claimed automatically (B-STREAM-5) and is still held.
func is_auto_owned(id: String) -> bool:
	return _auto_owned.has(id)


## True when this peer streams `id`'s transform.
func is_owned(id: String) -> bool:
	return _owned.has(id)


## The streamed transforms collected by the last collect_ops(), as [id, Variant text] pairs.
func take_stream() -> Array:
	var out: Array = _stream_out
	_stream_out = []
	return out


## Applies interpolated transforms of nodes other peers stream (B-STREAM), without echo.
func apply_stream(nodes: Array) -> void:
	for entry: Variant in nodes:
		if not entry is Array or (entry as Array).size() != 2:
			continue
		var id: String = str(entry[0])
		if _owned.has(id) or not _spatial_index.has(id) or not entry[1] is String:
			continue
		var value: Variant = SceneSyncValueCodec.decode_text(entry[1])
		if not value is Transform3D:
			continue
		var at: int = _spatial_index[id]
		var node: Node3D = _spatial_nodes[at]
		node.transform = value
		_spatial_transforms[at] = node.transform
		_streamed_until[id] = Time.get_ticks_msec() + STREAM_HOLD_MSEC


# --- values --------------------------------------------------------------------------------------

## A Godot value as a WireValue (B-VAL). A resource not yet in the document is added first
## (a `res_add` op), a file resource becomes an `ext` reference.
func encode_value(value: Variant) -> Variant:
	if value is Resource:
		var res: Resource = value
		var path: String = res.resource_path
		if path.begins_with("res://") and not path.contains("::"):
			return {"ext": path, "type": res.get_class()}
		var rid: String = _res_id_of.get(res.get_instance_id(), "")
		if rid == "":
			rid = _new_id()
			var props: Dictionary = {}
			var stored: Dictionary[String, Variant] = SceneSyncReplication.stored_non_default(res)
			for key: String in stored:
				props[key] = encode_value(stored[key])
			_map_resource(res, rid)
			_shadow_res_props[rid] = stored
			_ops.append({"op": "res_add", "id": rid, "type": res.get_class(), "props": props})
		return {"res": rid}
	if value == null or typeof(value) == TYPE_OBJECT:
		return null
	return SceneSyncValueCodec.encode_with_refs(value, _nested_ref_text)


## How a resource inside an array or dictionary is written (B-VAL-1): `SubResource("<id>")` for a
## resource of the document (added first if new), `ExtResource("res://…", "<class>")` for a file
## resource, null for any other Object.
func _nested_ref_text(object: Object) -> String:
	if not object is Resource:
		return "null"
	var wire: Variant = encode_value(object)
	if wire is Dictionary and (wire as Dictionary).has("res"):
		return "SubResource(%s)" % var_to_str(str(wire["res"]))
	if wire is Dictionary and (wire as Dictionary).has("ext"):
		return "ExtResource(%s, %s)" % [var_to_str(str(wire["ext"])), var_to_str(str(wire.get("type", "Resource")))]
	return "null"


## A WireValue as a Godot value. `{"res": id}` of a resource not received yet gives null and is
## remembered, so the property is set when the resource arrives.
func decode_value(wire: Variant, owner_kind: String = "", owner_id: String = "", key: String = "") -> Variant:
	if wire is String:
		# References inside arrays and dictionaries (B-VAL-1): one not received yet reads as null,
		# and the whole value is read again when it arrives.
		var resolve := func(ref: Variant) -> Variant:
			if ref is Dictionary:
				return decode_value(ref)  # a file resource: loaded when this project has it
			var rid: String = ref
			if _res_of.has(rid):
				return _res_of[rid]
			if owner_id != "":
				var waiting: Array = _pending_refs.get(rid, [])
				waiting.append([owner_kind, owner_id, key, wire])
				_pending_refs[rid] = waiting
			return null
		return SceneSyncValueCodec.decode_with_refs(wire, resolve)
	if wire is Dictionary:
		var dict: Dictionary = wire
		if dict.has("res"):
			var rid: String = str(dict["res"])
			if _res_of.has(rid):
				return _res_of[rid]
			if owner_id != "":
				var waiting: Array = _pending_refs.get(rid, [])
				waiting.append([owner_kind, owner_id, key])
				_pending_refs[rid] = waiting
			return null
		if dict.has("ext"):
			var path: String = str(dict["ext"])
			if ResourceLoader.exists(path):
				return load(path)
			push_warning("scenesync: %s is not in this project; kept as null" % path)
			return null
	return null


# --- remote changes → local tree -----------------------------------------------------------------

## Applies a `changes` message (B-CHANGES-1) to the local tree without reporting it back.
func apply_changes(changes: Array) -> void:
	if _root == null:
		return
	# Local edits made before this message are collected first, so the shadow stays exact.
	_ops.append_array(collect_ops())
	_pending.clear()
	for op: Dictionary in _ops:
		for target: String in targets_of(op):
			_pending[target] = true
	_applying = true
	for change: Variant in changes:
		if change is Dictionary:
			_apply_change(change)
	_applying = false


## Replaces the mirrored subtree with a snapshot's tree (B-HELLO-3, B-RESYNC). When the snapshot
## is empty and the local subtree is not, the local subtree is sent again instead (B-RESYNC-2).
func load_snapshot(tree: Dictionary) -> void:
	if _root == null:
		return
	var children: Array = tree.get("children", [])
	var resources: Dictionary = tree.get("resources", {})
	_forget_everything()
	if children.is_empty() and resources.is_empty():
		_dirty_parents[_root.get_instance_id()] = true
		return
	_applying = true
	for child: Node in _root.get_children():
		_root.remove_child(child)
		child.queue_free()
	var pending: Array = resources.values()
	for res_record: Variant in pending:
		var rec: Dictionary = res_record
		_create_resource(str(rec.get("id", "")), str(rec.get("type", "Resource")), {})
	for res_record: Variant in pending:
		var rec: Dictionary = res_record
		_apply_resource_props(str(rec.get("id", "")), rec.get("props", {}))
	_apply_node_props(ROOT_ID, tree.get("props", {}))
	var index: int = 0
	for child: Variant in children:
		_build_subtree(child, ROOT_ID, index)
		index += 1
	_applying = false


func _build_subtree(record: Dictionary, parent_id: String, index: int) -> void:
	var id: String = str(record.get("id", ""))
	_apply_change({"kind": "added", "id": id, "parent": parent_id, "index": index, "name": record.get("name", ""), "type": record.get("type", "Node"), "props": record.get("props", {})})
	var i: int = 0
	for child: Variant in record.get("children", []):
		_build_subtree(child, id, i)
		i += 1


## The targets (see _unacked) an op changes.
static func targets_of(op: Dictionary) -> PackedStringArray:
	var id: String = str(op.get("id", ""))
	match str(op.get("op", "")):
		"set":
			return PackedStringArray(["p|%s|%s" % [id, op.get("key", "")]])
		"res_set":
			return PackedStringArray(["r|%s|%s" % [id, op.get("key", "")]])
		"rename":
			return PackedStringArray(["n|" + id])
		"move":
			return PackedStringArray(["m|" + id, "o|" + str(op.get("parent", ""))])
		"add":
			return PackedStringArray(["o|" + str(op.get("parent", ""))])
	return PackedStringArray()


## Records the targets of an ops message sent with sequence number `seq`.
func mark_sent(ops: Array[Dictionary], seq: int) -> void:
	for op: Dictionary in ops:
		for target: String in targets_of(op):
			_unacked[target] = seq


## B-ACK: the sidecar applied every ops message up to `seq`.
func acknowledge(seq: int) -> void:
	for target: String in _unacked.keys():
		if _unacked[target] <= seq:
			_unacked.erase(target)


func _superseded(target: String) -> bool:
	return _pending.has(target) or _unacked.has(target)


func _apply_change(c: Dictionary) -> void:
	var kind: String = str(c.get("kind", ""))
	var id: String = str(c.get("id", ""))
	match kind:
		"property":
			if _superseded("p|%s|%s" % [id, c.get("key", "")]):
				return
		"resourceProperty":
			if _superseded("r|%s|%s" % [id, c.get("key", "")]):
				return
		"renamed":
			if _superseded("n|" + id):
				return
		"moved":
			if _superseded("m|" + id):
				return
		"order":
			if _superseded("o|" + str(c.get("parent", ""))):
				return
	match kind:
		"added":
			var parent: Node = _live_node(str(c.get("parent", "")))
			if parent == null or _node_of.has(id):
				return
			var props_in: Variant = c.get("props", {})
			var node: Node = _instantiate_scene(props_in.get(INSTANCE_KEY) if props_in is Dictionary else null)
			if node == null:
				node = _instantiate(str(c.get("type", "Node")))
			node.name = str(c.get("name", "Node"))
			node.set_meta(ID_META, id)
			parent.add_child(node)
			parent.move_child(node, clampi(int(c.get("index", 0)), 0, parent.get_child_count() - 1))
			_map_node(node, id, str(c.get("parent", "")))
			var siblings: PackedStringArray = _shadow_children.get(str(c.get("parent", "")), PackedStringArray())
			siblings.insert(mini(int(c.get("index", siblings.size())), siblings.size()), id)
			_shadow_children[str(c.get("parent", ""))] = siblings
			_apply_node_props(id, c.get("props", {}))
			_shadow_name[id] = String(node.name)
		"removed":
			var node: Node = _live_node(id)
			if node == null or id == ROOT_ID:
				return
			_shadow_detach(id)
			_unmap_subtree(id)
			if is_instance_valid(node) and node.get_parent() != null:
				node.get_parent().remove_child(node)
			node.queue_free()
		"moved":
			var node: Node = _live_node(id)
			var parent_id: String = str(c.get("parent", ""))
			var parent: Node = _live_node(parent_id)
			if node == null or parent == null:
				return
			if node.get_parent() != parent:
				node.reparent(parent, false)
			var index: int = clampi(int(c.get("index", 0)), 0, parent.get_child_count() - 1)
			parent.move_child(node, index)
			_shadow_detach(id)
			var siblings: PackedStringArray = _shadow_children.get(parent_id, PackedStringArray())
			siblings.insert(mini(index, siblings.size()), id)
			_shadow_children[parent_id] = siblings
			_shadow_parent[id] = parent_id
		"renamed":
			var node: Node = _live_node(id)
			if node == null or id == ROOT_ID:
				return
			node.name = str(c.get("name", node.name))
			_shadow_name[id] = String(node.name)
		"property":
			if c.get("unset", false):
				return
			_apply_node_props(id, {str(c.get("key", "")): c.get("value", null)})
		"order":
			_apply_order(str(c.get("parent", "")), c.get("children", []))
		"resourceAdded":
			_create_resource(id, str(c.get("type", "Resource")), c.get("props", {}))
		"resourceProperty":
			if c.get("unset", false):
				return
			_apply_resource_props(id, {str(c.get("key", "")): c.get("value", null)})
		"resourceRemoved":
			var res: Resource = _res_of.get(id, null)
			if res != null:
				_res_id_of.erase(res.get_instance_id())
			_res_of.erase(id)
			_shadow_res_props.erase(id)


## B-ORDER: puts the known children of `parent_id` in the document's order; local children the
## document does not have yet stay after them (their own add/move ops place them).
func _apply_order(parent_id: String, children: Variant) -> void:
	var parent: Node = _live_node(parent_id)
	if parent == null or not children is Array:
		return
	var order := PackedStringArray()
	var at: int = 0
	for child_id: Variant in children:
		var node: Node = _live_node(str(child_id))
		if node == null or node.get_parent() != parent:
			continue
		parent.move_child(node, mini(at, parent.get_child_count() - 1))
		order.append(str(child_id))
		at += 1
	_shadow_children[parent_id] = order


func _apply_node_props(id: String, props: Dictionary) -> void:
	var node: Node = _live_node(id)
	if node == null:
		return
	var shadow: Dictionary = _shadow_props.get(id, {})
	for key: Variant in props:
		var k: String = str(key)
		if k.contains(":") or k in SceneSyncReplication.SKIPPED:
			continue  # tscn:* bookkeeping, never a Godot property
		if k == "transform" and _streamed_until.get(id, 0) > Time.get_ticks_msec():
			continue  # an older commit of a node the stream is moving
		node.set(k, decode_value(props[key], "node", id, k))
		var name := StringName(k)
		if shadow.has(name):
			shadow[name] = node.get(name)
		if k == "transform" and _spatial_index.has(id):
			_spatial_transforms[_spatial_index[id]] = (node as Node3D).transform
		elif k == "visible" and _spatial_index.has(id):
			_spatial_visible[_spatial_index[id]] = (node as Node3D).visible
	_shadow_props[id] = shadow


func _create_resource(id: String, type: String, props: Dictionary) -> void:
	if id == "" or _res_of.has(id):
		return
	var res: Resource = null
	if ClassDB.class_exists(type) and ClassDB.can_instantiate(type) and ClassDB.is_parent_class(type, &"Resource"):
		res = ClassDB.instantiate(type)
	else:
		push_warning("scenesync: resource class %s is not available; using a plain Resource" % type)
		res = Resource.new()
	_map_resource(res, id)
	_apply_resource_props(id, props)
	# Properties waiting for this resource: it is their value, or (with the wire text) inside it.
	var waiting_list: Array = _pending_refs.get(id, [])
	_pending_refs.erase(id)
	for waiting: Variant in waiting_list:
		var w: Array = waiting
		var value: Variant = res if w.size() < 4 else decode_value(w[3], str(w[0]), str(w[1]), str(w[2]))
		if w[0] == "node" and _live_node(str(w[1])) != null:
			_live_node(str(w[1])).set(str(w[2]), value)
			var shadow: Dictionary = _shadow_props.get(str(w[1]), {})
			if shadow.has(StringName(str(w[2]))):
				shadow[StringName(str(w[2]))] = _live_node(str(w[1])).get(str(w[2]))
		elif w[0] == "resource" and _res_of.has(str(w[1])):
			var owner: Resource = _res_of[str(w[1])]
			owner.set(str(w[2]), value)
			if _shadow_res_props.has(str(w[1])):
				_shadow_res_props[str(w[1])] = SceneSyncReplication.stored_non_default(owner)


func _apply_resource_props(id: String, props: Dictionary) -> void:
	var res: Resource = _res_of.get(id, null)
	if res == null:
		return
	var values: Dictionary[String, Variant] = {}
	# `…/type` keys first, in natural order (an Animation's `tracks/N/type` makes track N, which
	# must be the next one, and the other `tracks/N/…` keys go to it), the others in the
	# document's order, so the usual case takes in one pass without Godot reporting missing tracks.
	var types: Array[String] = []
	var others: Array[String] = []
	for key: Variant in props:
		var k: String = str(key)
		if k.contains(":"):
			continue
		if k.ends_with("/type"):
			types.append(k)
		else:
			others.append(k)
	types.sort_custom(func(a: String, b: String) -> bool: return a.naturalnocasecmp_to(b) < 0)
	for k: String in types + others:
		values[k] = decode_value(props[k], "resource", id, k)
		res.set(k, values[k])
	# Some classes take a property only once another one is set: an Animation's `tracks/0/path` and
	# keys go to the track `tracks/0/type` makes. The document may list them in any order (B-VAL-4),
	# so what did not take is set once more.
	for k: String in values:
		if res.get(k) != values[k]:
			res.set(k, values[k])
	_shadow_res_props[id] = SceneSyncReplication.stored_non_default(res)
	_dirty_resources.erase(id)


## An instance of the PackedScene `wire` refers to (`{"ext": "res://…"}`), or null when there is
## none or this project lacks the file (the node is then a placeholder of its recorded class).
func _instantiate_scene(wire: Variant) -> Node:
	if not wire is Dictionary or not (wire as Dictionary).has("ext"):
		return null
	var path: String = str(wire["ext"])
	if not ResourceLoader.exists(path):
		push_warning("scenesync: instanced scene %s is not in this project; using a placeholder" % path)
		return null
	var packed: PackedScene = load(path) as PackedScene
	return packed.instantiate() if packed != null else null


func _instantiate(type: String) -> Node:
	if ClassDB.class_exists(type) and ClassDB.can_instantiate(type) and ClassDB.is_parent_class(type, &"Node"):
		return ClassDB.instantiate(type)
	push_warning("scenesync: node class %s is not available here; using a Node3D placeholder" % type)
	var placeholder := Node3D.new()
	placeholder.set_meta(&"scenesync_type", type)
	return placeholder


# --- bookkeeping ---------------------------------------------------------------------------------

func _map_node(node: Node, id: String, parent_id: String) -> void:
	_node_of[id] = node
	if id != ROOT_ID:
		node.set_meta(ID_META, id)
	_shadow_parent[id] = parent_id
	_shadow_name[id] = String(node.name)
	if not _shadow_children.has(id):
		_shadow_children[id] = PackedStringArray()
	var shadow: Dictionary = {}
	for key: StringName in SceneSyncReplication.watched_names_for(node.get_class()):
		shadow[key] = node.get(key)
	_shadow_props[id] = shadow
	if id != ROOT_ID:
		var watched: Array[StringName] = SceneSyncReplication.watched_names_for(node.get_class())
		if not watched.is_empty():
			_watched_lists[id] = watched
			_watched_index[id] = _watched_ids.size()
			_watched_ids.append(id)
		if node is Node3D:
			_spatial_index[id] = _spatial_nodes.size()
			_spatial_nodes.append(node as Node3D)
			_spatial_ids.append(id)
			_spatial_transforms.append((node as Node3D).transform)
			_spatial_visible.append((node as Node3D).visible)
	var key_id: int = node.get_instance_id()
	if not _order_connected.has(key_id):
		_order_connected[key_id] = true
		node.child_order_changed.connect(_on_child_order_changed.bind(node))


func _unmap_subtree(id: String) -> void:
	for child_id: String in _shadow_children.get(id, PackedStringArray()):
		_unmap_subtree(child_id)
	_node_of.erase(id)
	_shadow_parent.erase(id)
	_shadow_children.erase(id)
	_shadow_name.erase(id)
	_shadow_props.erase(id)
	_dirty_names.erase(id)
	_owned.erase(id)
	_auto_owned.erase(id)
	_claim_backoff.erase(id)
	if _spatial_index.has(id):
		# Marked here, compacted once per batch (_compact_spatial): entries may already be freed,
		# and a typed array refuses to move a freed object.
		_spatial_removed[_spatial_index[id]] = true
		_spatial_index.erase(id)
	_watched_lists.erase(id)
	if _watched_index.has(id):
		var at: int = _watched_index[id]
		var last: int = _watched_ids.size() - 1
		if at != last:
			_watched_ids[at] = _watched_ids[last]
			_watched_index[_watched_ids[at]] = at
		_watched_ids.resize(last)
		_watched_index.erase(id)


func _compact_spatial() -> void:
	var nodes: Array[Node3D] = []
	var ids := PackedStringArray()
	var transforms: Array[Transform3D] = []
	var visible: Array[bool] = []
	for i: int in _spatial_ids.size():
		if _spatial_removed.has(i):
			continue
		_spatial_index[_spatial_ids[i]] = nodes.size()
		nodes.append(_spatial_nodes[i])
		ids.append(_spatial_ids[i])
		transforms.append(_spatial_transforms[i])
		visible.append(_spatial_visible[i])
	_spatial_nodes = nodes
	_spatial_ids = ids
	_spatial_transforms = transforms
	_spatial_visible = visible
	_spatial_removed.clear()
	# Indexes moved: start the hot set and the motion streaks afresh (the sweep finds moving nodes again).
	_hot_index.clear()
	_hot_until.clear()
	_changed_frame.clear()
	_streak.clear()


func _map_resource(res: Resource, id: String) -> void:
	_res_of[id] = res
	_res_id_of[res.get_instance_id()] = id
	if not res.changed.is_connected(_on_resource_changed):
		res.changed.connect(_on_resource_changed.bind(id))


func _forget_everything() -> void:
	var root: Node = _root
	_node_of.clear()
	_shadow_parent.clear()
	_shadow_children.clear()
	_shadow_name.clear()
	_shadow_props.clear()
	_spatial_nodes.clear()
	_spatial_visible.clear()
	_spatial_removed.clear()
	_hot_index.clear()
	_hot_until.clear()
	_changed_frame.clear()
	_streak.clear()
	_watched_lists.clear()
	_spatial_ids.resize(0)
	_spatial_transforms.clear()
	_spatial_index.clear()
	_watched_ids.resize(0)
	_watched_index.clear()
	_dirty_parents.clear()
	_dirty_names.clear()
	_dirty_resources.clear()
	_res_of.clear()
	_res_id_of.clear()
	_shadow_res_props.clear()
	_pending_refs.clear()
	_ops.clear()
	_unacked.clear()
	_map_node(root, ROOT_ID, "")


## True for the root of an instanced scene (a PackedScene placed in the mirrored tree): it travels
## as a reference to its file (`tscn:instance`), and what is inside it is not mirrored.
func _is_instance(node: Node) -> bool:
	return node != _root and node.scene_file_path != ""


func _inside(node: Node) -> bool:
	return node == _root or _root.is_ancestor_of(node)


func _new_id() -> String:
	var id: String = ""
	for i: int in 10:
		id += _ID_CHARS[randi() % _ID_CHARS.length()]
	return id
