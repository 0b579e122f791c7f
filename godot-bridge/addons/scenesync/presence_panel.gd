@tool
class_name SceneSyncPresencePanel
extends VBoxContainer
## Who else is in the room: the plugin's editor dock, and a Control a game can add to its own UI.
## Follows the `SceneSync` autoload's client (which is replaced when the autoload restarts), or the
## client given to `watch`. Shows the connection state and one line per other peer, with the nodes
## that peer has selected.

## How often the connection state is read again, in seconds: the client has no signal for
## "connecting", and a dock does not need it every frame.
const STATUS_INTERVAL: float = 0.25
## Selected node names shown per peer; more are counted ("+2").
const SELECTION_NAMES_SHOWN: int = 3

var _status: Label = Label.new()
var _list: ItemList = ItemList.new()
var _client: SceneSyncClient = null
var _follows_autoload: bool = true
var _status_in: float = 0.0


func _init() -> void:
	name = "SceneSync"
	_status.autowrap_mode = TextServer.AUTOWRAP_WORD_SMART
	add_child(_status)
	_list.size_flags_vertical = Control.SIZE_EXPAND_FILL
	_list.custom_minimum_size = Vector2(0, 80)
	add_child(_list)
	_refresh_status()


## Shows `client`'s room from now on instead of the autoload's (null: show nothing).
func watch(client: SceneSyncClient) -> void:
	_follows_autoload = false
	_attach(client)


## The lines the peer list shows, in order (for tools and tests).
func peer_lines() -> PackedStringArray:
	var lines := PackedStringArray()
	for i: int in _list.item_count:
		lines.append(_list.get_item_text(i))
	return lines


## The connection line above the list.
func status_text() -> String:
	return _status.text


func _process(delta: float) -> void:
	if not is_instance_valid(_client) and _list.item_count > 0:
		_attach(null)  # freed without saying goodbye: its peers are no longer known
	if _follows_autoload:
		var autoload: Node = get_node_or_null(^"/root/SceneSync")
		var current: Variant = autoload.get(&"client") if autoload != null else null
		if current != _client:
			_attach(current as SceneSyncClient)
	_status_in -= delta
	if _status_in <= 0.0:
		_status_in = STATUS_INTERVAL
		_refresh_status()


func _attach(client: SceneSyncClient) -> void:
	if is_instance_valid(_client) and _client.peers_changed.is_connected(_show_peers):
		_client.peers_changed.disconnect(_show_peers)
	_client = client
	if _client != null:
		_client.peers_changed.connect(_show_peers)
		_show_peers(_client.peers)
	else:
		_show_peers([])
	_refresh_status()


func _refresh_status() -> void:
	var text: String
	if _client == null or not is_instance_valid(_client):
		text = "scenesync is not running"
	elif not _client.is_synced():
		text = "Connecting to the sidecar at %s:%d…" % [_client.host, _client.port]
	else:
		var others: int = _list.item_count
		text = "In the room as %s; %s" % [_client.display_name, "alone" if others == 0 else "%d other peer%s" % [others, "" if others == 1 else "s"]]
	if _status.text != text:
		_status.text = text


# Entries come from the network (B-CHANGES-2): anything that is not a dictionary is skipped.
func _show_peers(peers: Array) -> void:
	var rows: Array[Dictionary] = []
	for entry: Variant in peers:
		if entry is Dictionary:
			rows.append(entry)
	rows.sort_custom(_by_name_then_id)
	_list.clear()
	for row: Dictionary in rows:
		var index: int = _list.add_item(_line(row))
		_list.set_item_tooltip(index, "peer id %s" % str(row.get("id", "?")))
	_refresh_status()


## "name (kind)", then what the peer has selected, by node name here: "B (godot): Box, Lamp +2".
func _line(row: Dictionary) -> String:
	var peer_name: String = str(row.get("name", "")).strip_edges()
	if peer_name == "":
		peer_name = "(unnamed)"
	var kind: String = str(row.get("kind", ""))
	var line: String = peer_name if kind == "" else "%s (%s)" % [peer_name, kind]
	var selected: PackedStringArray = _selected_names(row.get("selection", []))
	if selected.is_empty():
		return line
	var shown: PackedStringArray = selected.slice(0, SELECTION_NAMES_SHOWN)
	var more: String = "" if selected.size() <= SELECTION_NAMES_SHOWN else " +%d" % (selected.size() - SELECTION_NAMES_SHOWN)
	return "%s: %s%s" % [line, ", ".join(shown), more]


# Names of the selected nodes this Godot mirrors (ids it does not know are left out).
func _selected_names(selection: Variant) -> PackedStringArray:
	var names := PackedStringArray()
	if not selection is Array or _client == null or not is_instance_valid(_client):
		return names
	for id: Variant in selection:
		var node: Node = _client.mirror.node_of(str(id)) if id is String else null
		if node != null:
			names.append(String(node.name))
	return names


static func _by_name_then_id(a: Dictionary, b: Dictionary) -> bool:
	var an: String = str(a.get("name", ""))
	var bn: String = str(b.get("name", ""))
	var order: int = an.naturalnocasecmp_to(bn)
	if order != 0:
		return order < 0
	return str(a.get("id", "")) < str(b.get("id", ""))
