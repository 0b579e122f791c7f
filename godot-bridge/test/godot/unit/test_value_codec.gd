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


func test_byte_arrays_travel_as_base64() -> void:
	var pixels := PackedByteArray()
	pixels.resize(4096)
	for i in pixels.size():
		pixels[i] = (i * 37) % 256
	var image_data := {"data": pixels, "format": "RGBA8", "width": 32, "height": 32, "mipmaps": false}
	for value: Variant in [pixels, PackedByteArray(), image_data, [pixels, 1, {"nested": PackedByteArray([0, 255])}]]:
		var text: Variant = SceneSyncValueCodec.encode_plain(value)
		expect_true(text is String and not (text as String).contains("0, 37, 74"), "byte arrays are not decimal lists (B-VAL-3)")
		expect_eq(SceneSyncValueCodec.decode_text(text), value, "round trip of a value with byte arrays")
	var encoded: String = SceneSyncValueCodec.encode_plain(image_data)
	expect_true(encoded.length() < 4096 * 1.4 + 200, "4 KiB of pixels is about 5.5 KiB of text, not %d" % encoded.length())


func test_objects_never_travel() -> void:
	expect_eq(SceneSyncValueCodec.encode_plain([BoxMesh.new()]), null, "an array holding an Object is sent as null (B-VAL-1)")
	expect_eq(SceneSyncValueCodec.decode_text("Object(Node,\"name\":\"x\")", 7), 7, "text that constructs an Object is refused (B-VAL-2)")
