extends RefCounted
## Base of the addon's GDScript tests (run by res://run_tests.gd in real headless Godot).

## A fresh node inside the running SceneTree for this test to build under.
var tree_root: Node = null
var failures: Array[String] = []
var checks: int = 0


func expect_eq(actual: Variant, expected: Variant, what: String) -> void:
	checks += 1
	if typeof(actual) != typeof(expected) or actual != expected:
		failures.append("%s: expected %s, got %s" % [what, var_to_str(expected), var_to_str(actual)])


func expect_true(condition: bool, what: String) -> void:
	checks += 1
	if not condition:
		failures.append(what)


## Ops of one kind from a collect_ops() result.
func ops_of(ops: Array[Dictionary], kind: String) -> Array[Dictionary]:
	var out: Array[Dictionary] = []
	for op: Dictionary in ops:
		if op["op"] == kind:
			out.append(op)
	return out
