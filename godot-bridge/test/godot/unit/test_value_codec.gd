extends "res://tests/test_case.gd"
## B-VAL: plain values travel as Variant text; Objects never.


func test_plain_values_round_trip() -> void:
	var values: Array = [1, 1.0, -0.5, "a \"quoted\"\nline", true, null, Vector3(1, 2, 3), Color(0.1, 0.2, 0.3, 1),
		Transform3D(Basis(Vector3.UP, 0.7), Vector3(1, -2, 3)), &"name", NodePath("A/B:position"),
		PackedVector3Array([Vector3(1, 2, 3)]), PackedFloat32Array([0.5, 1.5]), [1, "x", Vector2(3, 4)],
		{"k": 1, 2: Vector3.ONE}]
	for value: Variant in values:
		var text: Variant = SceneSyncValueCodec.encode_plain(value)
		expect_true(text is String, "encoded %s is text" % var_to_str(value))
		expect_eq(SceneSyncValueCodec.decode_text(text), value, "round trip of %s" % var_to_str(value))


func test_objects_never_travel() -> void:
	expect_eq(SceneSyncValueCodec.encode_plain([BoxMesh.new()]), null, "an array holding an Object is sent as null (B-VAL-1)")
	expect_eq(SceneSyncValueCodec.decode_text("Object(Node,\"name\":\"x\")", 7), 7, "text that constructs an Object is refused (B-VAL-2)")
