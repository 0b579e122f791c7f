# Proof of G-MAT-7 … G-MAT-9 against real Godot (one process, two phases):
# 1. builds materials whose textures are ImageTextures of many Image formats (plus one
#    PortableCompressedTexture2D, and a PNG and a JPEG file of the project), saves them in res://textures.tscn, writes every source pixel as Godot
#    reads it (`get_pixel`) and what the addon (SceneSyncReplication + SceneSyncValueCodec) would send
#    for one ImageTexture to res://phase1.json;
# 2. waits for the test to write res://textures.glb and res://go, imports the GLB with GLTFDocument
#    (append_from_file + generate_scene) and writes every imported material's slots and texture pixels
#    to res://imported.json.
extends SceneTree

const FORMATS: Dictionary = {
	"L8": Image.FORMAT_L8, "LA8": Image.FORMAT_LA8, "R8": Image.FORMAT_R8, "RG8": Image.FORMAT_RG8,
	"RGB8": Image.FORMAT_RGB8, "RGBA8": Image.FORMAT_RGBA8, "RGBA4444": Image.FORMAT_RGBA4444,
	"RGB565": Image.FORMAT_RGB565, "RF": Image.FORMAT_RF, "RGF": Image.FORMAT_RGF, "RGBF": Image.FORMAT_RGBF,
	"RGBAF": Image.FORMAT_RGBAF, "RH": Image.FORMAT_RH, "RGH": Image.FORMAT_RGH, "RGBH": Image.FORMAT_RGBH,
	"RGBAH": Image.FORMAT_RGBAH, "RGBE9995": Image.FORMAT_RGBE9995, "R16": Image.FORMAT_R16,
	"RGBA16": Image.FORMAT_RGBA16,
}
const W := 5
const H := 3

var _dir: String
var _waited_ms: int = 0


func _pattern(format: int, seed: int, mipmaps: bool) -> Image:
	var img := Image.create_empty(W, H, false, Image.FORMAT_RGBAF)
	for y in H:
		for x in W:
			var c := Color(float((x * 37 + y * 11 + seed * 5) % 64) / 63.0, float((x * 13 + y * 29 + seed) % 32) / 31.0, float((x * 7 + y * 3 + seed * 3) % 16) / 15.0, 1.0 - float((x + y * W) % 8) / 9.0)
			img.set_pixel(x, y, c)
	img.convert(format)
	if mipmaps:
		img.generate_mipmaps()
	return img


func _pixels(tex: Texture2D) -> Array:
	if tex == null:
		return []
	var img := tex.get_image()
	if img == null:
		return []
	if img.is_compressed():
		img.decompress()
	var out: Array = [img.get_width(), img.get_height()]
	for y in img.get_height():
		for x in img.get_width():
			var c := img.get_pixel(x, y)
			out.append_array([c.r, c.g, c.b, c.a])
	return out


func _mesh() -> ArrayMesh:
	var box := BoxMesh.new()
	var mesh := ArrayMesh.new()
	mesh.add_surface_from_arrays(Mesh.PRIMITIVE_TRIANGLES, box.get_mesh_arrays())
	return mesh


func _initialize() -> void:
	_dir = get_script().resource_path.get_base_dir()
	var root := Node3D.new()
	root.name = "Textures"
	var mesh := _mesh()
	var sources := {}
	var materials := {}
	var i := 0
	for key: String in FORMATS:
		var mat := StandardMaterial3D.new()
		var img := _pattern(FORMATS[key], i, i % 3 == 0)
		mat.albedo_texture = ImageTexture.create_from_image(img)
		materials["F_" + key] = mat
		sources["F_" + key] = {"albedo": _pixels(mat.albedo_texture)}
		i += 1

	var std := StandardMaterial3D.new()
	std.albedo_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGB8, 40, false))
	std.roughness_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGBA8, 41, false))
	std.roughness_texture_channel = BaseMaterial3D.TEXTURE_CHANNEL_GREEN
	std.metallic_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGBA8, 42, false))
	std.metallic_texture_channel = BaseMaterial3D.TEXTURE_CHANNEL_ALPHA
	std.metallic = 1.0
	std.ao_enabled = true
	std.ao_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_L8, 43, false))
	std.ao_texture_channel = BaseMaterial3D.TEXTURE_CHANNEL_RED
	materials["S_packed"] = std
	sources["S_packed"] = {"roughness": _pixels(std.roughness_texture), "metallic": _pixels(std.metallic_texture), "ao": _pixels(std.ao_texture)}

	var orm := ORMMaterial3D.new()
	orm.orm_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGB8, 50, false))
	orm.ao_enabled = true
	materials["S_orm"] = orm
	sources["S_orm"] = {"orm": _pixels(orm.orm_texture)}

	var normal := StandardMaterial3D.new()
	normal.normal_enabled = true
	normal.normal_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGBA8, 60, false))
	normal.normal_scale = 0.7
	materials["S_normal"] = normal
	sources["S_normal"] = {"normal": _pixels(normal.normal_texture)}

	var emission := StandardMaterial3D.new()
	emission.emission_enabled = true
	emission.emission_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGB8, 70, false))
	materials["S_emission"] = emission
	sources["S_emission"] = {"emission": _pixels(emission.emission_texture)}

	var sampler := StandardMaterial3D.new()
	sampler.albedo_texture = ImageTexture.create_from_image(_pattern(Image.FORMAT_RGBA8, 80, false))
	sampler.texture_filter = BaseMaterial3D.TEXTURE_FILTER_NEAREST
	sampler.texture_repeat = false
	sampler.uv1_scale = Vector3(2, 3, 1)
	sampler.uv1_offset = Vector3(0.25, 0.5, 0)
	materials["S_sampler"] = sampler
	sources["S_sampler"] = {"albedo": _pixels(sampler.albedo_texture)}

	# project.godot sets rendering/textures/lossless_compression/force_png, so the levels are PNGs.
	var portable := PortableCompressedTexture2D.new()
	portable.keep_compressed_buffer = true
	portable.create_from_image(_pattern(Image.FORMAT_RGBA8, 90, true), PortableCompressedTexture2D.COMPRESSION_MODE_LOSSLESS)
	var pct_mat := StandardMaterial3D.new()
	pct_mat.albedo_texture = portable
	materials["S_portable"] = pct_mat
	sources["S_portable"] = {"albedo": _pixels(portable)}

	# Texture files of the project (G-FILE): Godot writes a PNG and a JPEG, the scene refers to them as
	# ext_resources (the textures take over the files' paths), the test exports with projectDir.
	var png_image := _pattern(Image.FORMAT_RGBA8, 100, false)
	png_image.save_png(_dir.path_join("file_albedo.png"))
	var png_tex := ImageTexture.create_from_image(Image.load_from_file(_dir.path_join("file_albedo.png")))
	png_tex.take_over_path(_dir.path_join("file_albedo.png"))
	var png_mat := StandardMaterial3D.new()
	png_mat.albedo_texture = png_tex
	materials["P_file_png"] = png_mat
	sources["P_file_png"] = {"albedo": _pixels(png_tex)}
	var smooth := Image.create_empty(16, 16, false, Image.FORMAT_RGB8)
	for y in 16:
		for x in 16:
			smooth.set_pixel(x, y, Color(float(x) / 15.0, float(y) / 15.0, 0.5))
	smooth.save_jpg(_dir.path_join("file_rough.jpg"), 0.95)
	var jpg_tex := ImageTexture.create_from_image(Image.load_from_file(_dir.path_join("file_rough.jpg")))
	jpg_tex.take_over_path(_dir.path_join("file_rough.jpg"))
	var jpg_mat := StandardMaterial3D.new()
	jpg_mat.roughness_texture = jpg_tex
	jpg_mat.roughness_texture_channel = BaseMaterial3D.TEXTURE_CHANNEL_GREEN
	materials["P_file_jpg"] = jpg_mat
	sources["P_file_jpg"] = {"roughness": _pixels(jpg_tex)}
	var jpg_albedo_mat := StandardMaterial3D.new()
	jpg_albedo_mat.albedo_texture = jpg_tex
	materials["P_file_jpg_albedo"] = jpg_albedo_mat
	sources["P_file_jpg_albedo"] = {"albedo": _pixels(jpg_tex)}

	for name: String in materials:
		var mi := MeshInstance3D.new()
		mi.name = name
		mi.mesh = mesh
		mi.material_override = materials[name]
		root.add_child(mi)
		mi.owner = root
	var packed := PackedScene.new()
	packed.pack(root)
	var err := ResourceSaver.save(packed, _dir + "/textures.tscn")

	# What the addon sends for an ImageTexture: its stored properties, values as Variant text (B-VAL).
	var rep: GDScript = load(_dir + "/replication.gd")
	var codec: GDScript = load(_dir + "/value_codec.gd")
	var tex: ImageTexture = (materials["F_RGBH"] as StandardMaterial3D).albedo_texture
	var wire := {}
	for kind: String in ["texture", "image"]:
		var obj: Object = tex if kind == "texture" else tex.get_image()
		var stored: Dictionary = rep.stored_non_default(obj)
		var props := {}
		for k: String in stored:
			props[k] = {"res": "image"} if stored[k] is Resource else codec.encode_plain(stored[k])
		wire[kind] = {"type": obj.get_class(), "props": props}
	root.free()
	var f := FileAccess.open(_dir + "/phase1.json", FileAccess.WRITE)
	f.store_string(JSON.stringify({"saved": err, "sources": sources, "addon": wire}))
	f.close()


func _process(delta: float) -> bool:
	if not FileAccess.file_exists(_dir + "/go"):
		_waited_ms += int(delta * 1000.0) + 1
		return _waited_ms > 120000
	var doc := GLTFDocument.new()
	var state := GLTFState.new()
	state.handle_binary_image_mode = GLTFState.HANDLE_BINARY_IMAGE_MODE_EMBED_AS_UNCOMPRESSED
	var err := doc.append_from_file(_dir + "/textures.glb", state)
	var result := {"error": err, "materials": {}}
	if err == OK:
		var scene := doc.generate_scene(state)
		for n: Node in scene.find_children("*", "MeshInstance3D", true, false):
			var mi := n as MeshInstance3D
			var m := mi.get_active_material(0) as BaseMaterial3D
			if m == null:
				continue
			result["materials"][String(mi.name)] = {
				"albedo": _pixels(m.albedo_texture),
				"roughness": _pixels(m.roughness_texture), "roughness_channel": m.roughness_texture_channel,
				"metallic": _pixels(m.metallic_texture), "metallic_channel": m.metallic_texture_channel,
				"ao_enabled": m.ao_enabled, "ao": _pixels(m.ao_texture), "ao_channel": m.ao_texture_channel,
				"normal_enabled": m.normal_enabled, "normal": _pixels(m.normal_texture), "normal_scale": m.normal_scale,
				"emission_enabled": m.emission_enabled, "emission": _pixels(m.emission_texture),
				"texture_filter": m.texture_filter, "texture_repeat": m.texture_repeat,
				"uv1_scale": [m.uv1_scale.x, m.uv1_scale.y], "uv1_offset": [m.uv1_offset.x, m.uv1_offset.y],
			}
		scene.free()
	var f := FileAccess.open(_dir + "/imported.json", FileAccess.WRITE)
	f.store_string(JSON.stringify(result))
	f.close()
	return true
