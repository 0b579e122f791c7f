@tool
class_name SceneSyncSidecarLauncher
extends RefCounted
## Starts the sidecar `scenesync-bridge` as a child process (OS.create_process) when the project
## sets `scenesync/sidecar_command`, so a user does not have to start it by hand.


## Starts `command` with the port, token and extra arguments; returns its process id, or -1.
static func start(command: String, port: int, token: String, extra: PackedStringArray) -> int:
	var args := PackedStringArray(["--port", str(port), "--token", token, "--exit-with-parent"])
	args.append_array(extra)
	var parts: PackedStringArray = command.split(" ", false)
	if parts.is_empty():
		return -1
	var program: String = parts[0]
	parts.remove_at(0)
	parts.append_array(args)
	var pid: int = OS.create_process(program, parts)
	if pid <= 0:
		push_warning("scenesync: could not start the sidecar '%s'" % command)
	return pid


## A random token for a sidecar this addon starts itself (B-HELLO-1).
static func new_token() -> String:
	var crypto := Crypto.new()
	return crypto.generate_random_bytes(24).hex_encode()
