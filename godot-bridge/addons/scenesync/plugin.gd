@tool
extends EditorPlugin
## Registers the SceneSync autoload while the plugin is enabled. All the work lives in the
## class_name scripts next to this file, which run the same in the editor and at runtime.

const AUTOLOAD_NAME: String = "SceneSync"
const AUTOLOAD_PATH: String = "res://addons/scenesync/scenesync_autoload.gd"


func _enable_plugin() -> void:
	add_autoload_singleton(AUTOLOAD_NAME, AUTOLOAD_PATH)


func _disable_plugin() -> void:
	remove_autoload_singleton(AUTOLOAD_NAME)
