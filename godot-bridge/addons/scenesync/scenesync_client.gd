@tool
class_name SceneSyncClient
extends Node
## The addon's end of the bridge protocol (docs/bridge-protocol.md): connects to the sidecar,
## handshakes, sends the mirror's ops once per frame, applies the sidecar's changes, reconnects and
## resyncs when the connection drops.

## Emitted after `welcome` + `snapshot`: the mirrored subtree now matches the document.
signal synced
## Emitted when the connection to the sidecar closed.
signal disconnected
## Emitted with the room's other peers (presence), as `[{id, name, kind, color, selection}]`; with
## `[]` when the connection to the sidecar drops.
signal peers_changed(peers: Array)
## Emitted for every `error` message from the sidecar.
signal error_received(code: String, message: String)

const PROTOCOL_VERSION: int = 1

var host: String = "127.0.0.1"
var port: int = 0
var token: String = ""
var display_name: String = "godot"
## Seconds between reconnect attempts (B-RESYNC-1).
var reconnect_interval: float = 1.0
## The mirrored subtree; set before adding this node to the tree.
var mirror: SceneSyncMirror = SceneSyncMirror.new()
## Room peers from the last `peers` message.
var peers: Array = []
## Microseconds the last frame's mirror work took (collect + send), for benchmarks.
var last_frame_usec: int = 0

var _ws: WebSocketPeer = null
var _hello_sent: bool = false
var _welcomed: bool = false
var _retry_in: float = 0.0
var _was_open: bool = false
var _own_requests: Array[Node] = []
## Ids last given to set_selection(), sent again after a reconnect once there has been one.
var _selection := PackedStringArray()
var _selection_set: bool = false
var _seq: int = 0


## True between `welcome` and the connection closing.
func is_synced() -> bool:
	return _welcomed


## Starts mirroring `root` (when given) and connects.
func start(root: Node) -> void:
	if root != null:
		mirror.attach(root)
	_connect_now()


## Sends one raw text frame (tests use it to send malformed messages).
func send_raw(text: String) -> void:
	if _ws != null and _ws.get_ready_state() == WebSocketPeer.STATE_OPEN:
		_ws.send_text(text)


## Claims `node` for this peer: from then on its transform is streamed (B-STREAM), smooth and
## outside the document; the document gets it when the node rests.
func own(node: Node3D) -> void:
	_own_requests.append(node)


## Shows `nodes` (those under the mirrored root; others are ignored) to the other peers as this
## peer's selection (B-PRESENCE-1). The plugin calls it with the editor's selection; a game may call it
## with whatever its players pick.
func set_selection(nodes: Array) -> void:
	var ids := PackedStringArray()
	for node: Variant in nodes:
		if node is Node and is_instance_valid(node):
			var id: String = mirror.id_of(node)
			if id != "":
				ids.append(id)
	if _selection_set and ids == _selection:
		return
	_selection = ids
	_selection_set = true
	_send({"t": "select", "ids": ids})


## Gives up a claim made with own().
func release(node: Node3D) -> void:
	var id: String = mirror.id_of(node)
	if id != "":
		mirror.set_owned(id, false)
		_send({"t": "release", "id": id})


## Asks the sidecar for a fresh snapshot (B-OPS-3).
func request_resync() -> void:
	_send({"t": "resync"})


func _connect_now() -> void:
	_ws = WebSocketPeer.new()
	# Large scenes travel as one message; the defaults (64 KiB) are far too small.
	_ws.inbound_buffer_size = 64 * 1024 * 1024
	_ws.outbound_buffer_size = 64 * 1024 * 1024
	_ws.max_queued_packets = 65536
	_hello_sent = false
	_welcomed = false
	var err: Error = _ws.connect_to_url("ws://%s:%d" % [host, port])
	if err != OK:
		_retry_in = reconnect_interval


func _process(delta: float) -> void:
	if _ws == null:
		return
	var started: int = Time.get_ticks_usec()
	_ws.poll()
	var state: WebSocketPeer.State = _ws.get_ready_state()
	if state == WebSocketPeer.STATE_OPEN:
		_was_open = true
		if not _hello_sent:
			_hello_sent = true
			_send({"t": "hello", "v": PROTOCOL_VERSION, "token": token, "name": display_name})
		while _ws.get_available_packet_count() > 0:
			_receive(_ws.get_packet().get_string_from_utf8())
		if _welcomed:
			var ops: Array[Dictionary] = mirror.collect_ops()
			if not ops.is_empty():
				_seq += 1
				mirror.mark_sent(ops, _seq)
				_send({"t": "ops", "ops": ops, "n": _seq})
			var streamed: Array = mirror.take_stream()
			if not streamed.is_empty():
				_send({"t": "stream", "nodes": streamed})
			# B-STREAM-5: after this frame's stream, so a claimed node's first frames follow its claim.
			for id: String in mirror.take_claims():
				_send({"t": "own", "id": id})
			for id: String in mirror.take_releases():
				_send({"t": "release", "id": id})
			if not _own_requests.is_empty():
				_send_own_requests()
	elif state == WebSocketPeer.STATE_CLOSED:
		if _was_open or _welcomed:
			_was_open = false
			_welcomed = false
			# Whoever was in the room is unknown until the sidecar is back.
			peers = []
			peers_changed.emit(peers)
			disconnected.emit()
		_retry_in -= delta
		if _retry_in <= 0.0:
			_retry_in = reconnect_interval
			_connect_now()
	last_frame_usec = Time.get_ticks_usec() - started


func _send_own_requests() -> void:
	var waiting: Array[Node] = []
	for node: Node in _own_requests:
		if not is_instance_valid(node):
			continue
		var id: String = mirror.id_of(node)
		if id == "":
			waiting.append(node)  # not in the document yet: next frame
			continue
		mirror.set_owned(id, true)
		_send({"t": "own", "id": id})
	_own_requests = waiting


func _send(message: Dictionary) -> void:
	if _ws != null and _ws.get_ready_state() == WebSocketPeer.STATE_OPEN:
		# Keys in insertion order (JSON.stringify sorts them by default): a resource's properties then
		# reach other peers in Godot's property order, which some classes need (an Animation's
		# `tracks/0/type` creates the track its `tracks/0/path` and keys go to; B-VAL-4).
		_ws.send_text(JSON.stringify(message, "", false))


func _receive(text: String) -> void:
	var json := JSON.new()
	var parsed: Variant = json.data if json.parse(text) == OK else null
	if not parsed is Dictionary:
		push_warning("scenesync: ignored a malformed message from the sidecar")
		return
	var msg: Dictionary = parsed
	match str(msg.get("t", "")):
		"welcome":
			_welcomed = true
			# A new connection acknowledges nothing the old one had in flight.
			mirror.acknowledge(_seq)
		"snapshot":
			var tree: Variant = msg.get("tree", null)
			if tree is Dictionary:
				mirror.load_snapshot(tree)
				if _selection_set:
					_send({"t": "select", "ids": _selection})
				synced.emit()
		"changes":
			var changes: Variant = msg.get("changes", null)
			if changes is Array:
				mirror.apply_changes(changes)
		"stream":
			var nodes: Variant = msg.get("nodes", null)
			if nodes is Array:
				mirror.apply_stream(nodes)
		"owner":
			# `owner` null answers a release (already applied here); another peer's id means our claim lost.
			if msg.get("owner") != null and msg.get("owner") != msg.get("self"):
				mirror.claim_lost(str(msg.get("id", "")))
		"peers":
			var list: Variant = msg.get("peers", null)
			if list is Array:
				peers = list
				peers_changed.emit(peers)
		"error":
			var code: String = str(msg.get("code", ""))
			push_warning("scenesync: sidecar error %s: %s" % [code, str(msg.get("message", ""))])
			error_received.emit(code, str(msg.get("message", "")))
			if code == "OP_REFUSED":
				request_resync()
		"ack":
			mirror.acknowledge(int(msg.get("n", 0)))
		"pong", "tree":
			pass
		_:
			push_warning("scenesync: ignored a message of unknown type from the sidecar")
