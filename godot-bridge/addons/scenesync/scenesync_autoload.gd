@tool
class_name SceneSyncAutoload
extends Node
## The `SceneSync` autoload: reads the `scenesync/*` project settings (overridden by command-line
## user arguments `--scenesync-port=…` etc. after `--`) and mirrors the configured root through a
## SceneSyncClient. Runs the same in the editor (the edited scene) and at runtime (the current scene).

const SETTINGS: Dictionary = {
	"scenesync/host": "127.0.0.1",
	"scenesync/port": 0,
	"scenesync/token": "",
	"scenesync/name": "godot",
	"scenesync/root_path": "",
	"scenesync/sidecar_command": "",
	"scenesync/sidecar_args": "",
	"scenesync/reconnect_interval": 1.0,
	"scenesync/autostart": true,
	"scenesync/auto_stream_frames": 3,
	"scenesync/auto_release_sec": 2.0,
}

## The connection (null until started).
var client: SceneSyncClient = null
var _sidecar_pid: int = -1
## The mirrored root is not there yet (the editor opens its scene after autoloads start).
var _waiting_for_root: bool = false


func _ready() -> void:
	if not bool(_setting("scenesync/autostart")):
		return
	var port: int = int(_setting("scenesync/port"))
	if port <= 0 and str(_setting("scenesync/sidecar_command")) == "":
		return  # not configured: stay idle
	start.call_deferred()


## Connects (starting the sidecar first when `scenesync/sidecar_command` is set) and mirrors the
## configured root, or `root` when given.
func start(root: Node = null) -> void:
	if client != null:
		return
	client = SceneSyncClient.new()
	client.name = "Client"
	client.host = str(_setting("scenesync/host"))
	client.port = int(_setting("scenesync/port"))
	client.token = str(_setting("scenesync/token"))
	client.display_name = str(_setting("scenesync/name"))
	client.reconnect_interval = float(_setting("scenesync/reconnect_interval"))
	client.mirror.auto_stream_frames = int(_setting("scenesync/auto_stream_frames"))
	client.mirror.auto_release_msec = int(float(_setting("scenesync/auto_release_sec")) * 1000.0)
	var command: String = str(_setting("scenesync/sidecar_command"))
	if command != "":
		if client.token == "":
			client.token = SceneSyncSidecarLauncher.new_token()
		if client.port <= 0:
			client.port = 47000 + randi() % 1000
		_sidecar_pid = SceneSyncSidecarLauncher.start(command, client.port, client.token, str(_setting("scenesync/sidecar_args")).split(" ", false))
	add_child(client)
	var target: Node = root if root != null else _configured_root()
	if target == null:
		_waiting_for_root = true
		return
	client.start(target)


func _process(_delta: float) -> void:
	if not _waiting_for_root or client == null:
		return
	var target: Node = _configured_root()
	if target != null:
		_waiting_for_root = false
		client.start(target)


## Stops mirroring and the sidecar this autoload started.
func stop() -> void:
	if client != null:
		client.mirror.detach()
		client.queue_free()
		client = null
	if _sidecar_pid > 0:
		OS.kill(_sidecar_pid)
		_sidecar_pid = -1


func _exit_tree() -> void:
	stop()


func _configured_root() -> Node:
	var path: String = str(_setting("scenesync/root_path"))
	if path != "":
		var node: Node = get_tree().root.get_node_or_null(NodePath(path))
		if node != null:
			return node
	if Engine.is_editor_hint() and Engine.has_singleton(&"EditorInterface"):
		# Looked up by name: EditorInterface does not exist in exported games.
		var editor: Object = Engine.get_singleton(&"EditorInterface")
		return editor.call(&"get_edited_scene_root")
	return get_tree().current_scene


func _setting(key: String) -> Variant:
	var arg_name: String = "--" + key.replace("scenesync/", "scenesync-").replace("_", "-") + "="
	for arg: String in OS.get_cmdline_user_args():
		if arg.begins_with(arg_name):
			return arg.substr(arg_name.length())
	return ProjectSettings.get_setting(key, SETTINGS[key])
