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
	expect_eq(SceneSyncValueCodec.encode_plain([BoxMesh.new()]), null, "without resource ids at hand, a value holding an Object is sent as null (B-VAL-1)")
	expect_eq(SceneSyncValueCodec.decode_text("Object(Node,\"name\":\"x\")", 7), 7, "text that constructs an Object is refused (B-VAL-2)")


func test_nested_resources_travel_as_references() -> void:
	# An ArrayMesh's `_surfaces`: dictionaries holding vertex bytes and a material (B-VAL-1).
	var material := StandardMaterial3D.new()
	var other := StandardMaterial3D.new()
	var surfaces: Array = [
		{"primitive": 3, "vertex_data": PackedByteArray([1, 2, 3, 250]), "material": material, "name": "Body"},
		{"primitive": 3, "vertex_data": PackedByteArray([9]), "material": other},
	]
	var ids := {material: "Mat_1", other: "Mat \"2\""}
	var ref_text := func(object: Object) -> String: return "SubResource(%s)" % var_to_str(ids[object])
	var text: Variant = SceneSyncValueCodec.encode_with_refs(surfaces, ref_text)
	expect_true(text is String and (text as String).contains("SubResource(\"Mat_1\")"), "a nested resource is written as its id: %s" % str(text))
	var by_id := {"Mat_1": material, "Mat \"2\"": other}
	var asked: Array = []
	var resolve := func(id: String) -> Variant:
		asked.append(id)
		return by_id.get(id, null)
	var back: Variant = SceneSyncValueCodec.decode_with_refs(text, resolve)
	expect_eq(back, surfaces, "the surfaces come back with the same materials")
	expect_eq(asked, ["Mat_1", "Mat \"2\""], "each reference is resolved once, in order")


func test_reference_syntax_inside_strings_is_text() -> void:
	var value: Array = ["SubResource(\"not-a-ref\")", &"x\\\"SubResource(\"y\")", {"k": NodePath("SubResource(\"z\")")}]
	var text: String = SceneSyncValueCodec.encode_plain(value)
	var asked: Array = []
	var back: Variant = SceneSyncValueCodec.decode_with_refs(text, func(id: String) -> Variant: asked.append(id); return null)
	expect_eq(back, value, "strings that look like references stay strings")
	expect_eq(asked, [], "nothing was resolved")


func test_malformed_or_typed_references_are_refused() -> void:
	for bad: String in ["[SubResource(\"a\"]", "[SubResource(a)]", "[SubResource(\"\")]", "[SubResource(\"a\"", "[SubResource(\"a)]"]:
		expect_eq(SceneSyncValueCodec.decode_with_refs(bad, func(_id: String) -> Variant: return null, 5), 5, "%s is refused" % bad)
	var typed: Array[Material] = [StandardMaterial3D.new()]
	expect_eq(SceneSyncValueCodec.encode_with_refs(typed, func(_o: Object) -> String: return "SubResource(\"m\")"), null, "a typed array of Objects travels as null")
	expect_eq(SceneSyncValueCodec.encode_with_refs([Node.new()], func(_o: Object) -> String: return "null"), "[null]", "an Object the mirror does not carry is null, the array stays")


func test_nested_file_resources_travel_as_paths() -> void:
	var wood := StandardMaterial3D.new()
	var surfaces: Array = [{"primitive": 3, "material": wood}]
	var ref_text := func(_object: Object) -> String: return "ExtResource(%s, %s)" % [var_to_str("res://materials/wood \"oak\".tres"), var_to_str("StandardMaterial3D")]
	var text: String = SceneSyncValueCodec.encode_with_refs(surfaces, ref_text)
	expect_true(text.contains("ExtResource(\"res://materials/wood \\\"oak\\\".tres\", \"StandardMaterial3D\")"), "a nested file resource is written as its path and class: %s" % text)
	var asked: Array = []
	var resolve := func(ref: Variant) -> Variant:
		asked.append(ref)
		return wood
	expect_eq(SceneSyncValueCodec.decode_with_refs(text, resolve), surfaces, "it comes back as what the project loads for that path")
	expect_eq(asked, [{"ext": "res://materials/wood \"oak\".tres", "type": "StandardMaterial3D"}], "resolved by path and class")
	expect_eq(SceneSyncValueCodec.decode_with_refs("[ExtResource(\"res://a.tres\"), \"ExtResource(x)\"]", func(ref: Variant) -> Variant: return str(ref)), [str({"ext": "res://a.tres", "type": "Resource"}), "ExtResource(x)"], "one argument is enough; text inside strings stays text")
