extends SceneTree
## One-shot inspection used by the tests (after `--`):
##   --scene=res://x.tscn   load, instantiate and print the tree        → SCENESYNC_SCENE {json}
##   --glb=/abs/file.glb    import with GLTFDocument, print the tree     → SCENESYNC_GLB {json}
##   --classes=A,B         which classes this Godot knows              → SCENESYNC_CLASSES {json}
##   --transform            var_to_str of a rotated Transform3D + basis  → SCENESYNC_TRANSFORM {json}


func _initialize() -> void:
	for arg: String in OS.get_cmdline_user_args():
		if arg.begins_with("--scene="):
			var path: String = arg.substr(8)
			var packed: PackedScene = load(path)
			var node: Node = packed.instantiate() if packed != null else null
			print("SCENESYNC_SCENE ", JSON.stringify({"path": path, "loaded": node != null, "tree": _tree(node) if node != null else null}))
			if node != null:
				node.free()
		elif arg.begins_with("--glb="):
			var doc := GLTFDocument.new()
			var state := GLTFState.new()
			var err: Error = doc.append_from_file(arg.substr(6), state)
			var scene: Node = doc.generate_scene(state) if err == OK else null
			print("SCENESYNC_GLB ", JSON.stringify({"error": error_string(err), "meshes": state.get_meshes().size(), "tree": _tree(scene) if scene != null else null}))
			if scene != null:
				scene.free()
		elif arg.begins_with("--classes="):
			var known: Dictionary = {}
			for cls: String in arg.substr(10).split(",", false):
				known[cls] = ClassDB.class_exists(cls)
			print("SCENESYNC_CLASSES ", JSON.stringify(known))
		elif arg == "--transform":
			var t := Transform3D(Basis(Vector3(0.3, 1, 0.2).normalized(), 0.8), Vector3(1, 2, 3))
			print("SCENESYNC_TRANSFORM ", JSON.stringify({"text": var_to_str(t), "x": var_to_str(t.basis.x), "y": var_to_str(t.basis.y), "z": var_to_str(t.basis.z)}))
	quit()


func _tree(node: Node) -> Dictionary:
	var children: Array = []
	for child: Node in node.get_children():
		children.append(_tree(child))
	var out: Dictionary = {"name": String(node.name), "type": node.get_class(), "children": children}
	if node is MeshInstance3D and (node as MeshInstance3D).mesh != null:
		out["mesh"] = (node as MeshInstance3D).mesh.get_class()
		out["surfaces"] = (node as MeshInstance3D).mesh.get_surface_count()
	return out
