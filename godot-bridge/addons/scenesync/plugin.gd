@tool
extends EditorPlugin
## Registers the SceneSync autoload while the plugin is enabled and shows who else is in the room
## in a dock. All the work lives in the class_name scripts next to this file, which run the same in
## the editor and at runtime.

const AUTOLOAD_NAME: String = "SceneSync"
const AUTOLOAD_PATH: String = "res://addons/scenesync/scenesync_autoload.gd"

var _presence: SceneSyncPresencePanel = null


func _enter_tree() -> void:
	_presence = SceneSyncPresencePanel.new()
	add_control_to_dock(DOCK_SLOT_RIGHT_UL, _presence)
	EditorInterface.get_selection().selection_changed.connect(_share_selection)


func _exit_tree() -> void:
	if EditorInterface.get_selection().selection_changed.is_connected(_share_selection):
		EditorInterface.get_selection().selection_changed.disconnect(_share_selection)
	if _presence != null:
		remove_control_from_docks(_presence)
		_presence.queue_free()
		_presence = null


# The nodes selected in the editor become this peer's selection in the room (B-PRESENCE-1).
func _share_selection() -> void:
	var sync: Node = get_tree().root.get_node_or_null(^"SceneSync")
	var client: Variant = sync.get(&"client") if sync != null else null
	if client is SceneSyncClient:
		(client as SceneSyncClient).set_selection(EditorInterface.get_selection().get_selected_nodes())


func _enable_plugin() -> void:
	add_autoload_singleton(AUTOLOAD_NAME, AUTOLOAD_PATH)


func _disable_plugin() -> void:
	remove_autoload_singleton(AUTOLOAD_NAME)
