extends SceneTree
## Runs every res://tests/test_*.gd (scripts extending res://tests/test_case.gd): each method whose
## name starts with `test_` gets a fresh instance. Prints one `SCENESYNC_TEST {json}` line per test
## and `SCENESYNC_TESTS_DONE <count>` at the end; vitest reads them (test/addon/gdscript.test.ts).


var _done: bool = false


# Runs on the first frame: nodes added to the root are then inside the tree.
func _process(_delta: float) -> bool:
	if not _done:
		_done = true
		_run_all()
	return true


func _run_all() -> void:
	var count: int = 0
	var files: PackedStringArray = DirAccess.get_files_at("res://tests")
	files.sort()
	for file: String in files:
		if not (file.begins_with("test_") and file.ends_with(".gd")) or file == "test_case.gd":
			continue
		var script: GDScript = load("res://tests/" + file)
		if script == null:
			print("SCENESYNC_TEST ", JSON.stringify({"file": file, "name": "(load)", "ok": false, "failures": ["script did not load"]}))
			count += 1
			continue
		for method: Dictionary in script.get_script_method_list():
			var name: String = method["name"]
			if not name.begins_with("test_"):
				continue
			var holder := Node.new()
			root.add_child(holder)
			var case: RefCounted = script.new()
			case.set("tree_root", holder)
			case.call(name)
			var failures: Array = case.get("failures")
			print("SCENESYNC_TEST ", JSON.stringify({"file": file, "name": name, "ok": failures.is_empty(), "checks": case.get("checks"), "failures": failures}))
			holder.free()
			count += 1
	print("SCENESYNC_TESTS_DONE ", count)
