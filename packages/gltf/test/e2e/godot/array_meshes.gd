# Builds ArrayMeshes with every attribute combination @scenesync/gltf decodes (cases.json next to this
# script), saves them in meshes.tscn (Godot writes each surface in its packed `vertex_data` layout),
# loads that file back and dumps what Godot's own `surface_get_arrays()` returns for every surface,
# as raw little-endian bytes in base64 (exact floats, and fast for 70k-vertex meshes), into out.json.
# Cases with "v1" also get a Godot 4.0/4.1 (format version 1) copy of their surface: written as
# Variant text to v1_<label>.txt and dumped after Godot upgrades it on load.
extends SceneTree

const VERSION_MASK := 0xFF << 35


func _unit(rng: RandomNumberGenerator) -> Vector3:
	var v := Vector3(rng.randf_range(-1, 1), rng.randf_range(-1, 1), rng.randf_range(-1, 1))
	while v.length() < 0.1:
		v = Vector3(rng.randf_range(-1, 1), rng.randf_range(-1, 1), rng.randf_range(-1, 1))
	return v.normalized()


func _arrays(c: Dictionary, rng: RandomNumberGenerator) -> Dictionary:
	var n: int = c["n"]
	var arrays := []
	arrays.resize(Mesh.ARRAY_MAX)
	var pos := PackedVector3Array()
	var nor := PackedVector3Array()
	var tan := PackedFloat32Array()
	var col := PackedColorArray()
	var uv := PackedVector2Array()
	var uv2 := PackedVector2Array()
	var custom := PackedFloat32Array()
	var bones := PackedInt32Array()
	var weights := PackedFloat32Array()
	var lo: float = -3.0 if c.get("wide", false) else 0.0
	var hi: float = 4.0 if c.get("wide", false) else 1.0
	for i in n:
		pos.append(Vector3(rng.randf_range(-5, 5), rng.randf_range(-1, 9), rng.randf_range(-2, 2)))
		var nv := _unit(rng)
		nor.append(nv)
		var t := nv.cross(_unit(rng)).normalized()
		tan.append_array([t.x, t.y, t.z, 1.0 if rng.randf() < 0.5 else -1.0])
		col.append(Color(rng.randf(), rng.randf(), rng.randf(), rng.randf()))
		uv.append(Vector2(rng.randf_range(lo, hi), rng.randf_range(lo, hi)))
		uv2.append(Vector2(rng.randf_range(0, 1), rng.randf_range(0, 1)))
		custom.append_array([rng.randf(), rng.randf(), rng.randf(), rng.randf()])
		bones.append_array([i % 3, 1, 2, 0])
		weights.append_array([0.5, 0.25, 0.25, 0.0])
	arrays[Mesh.ARRAY_VERTEX] = pos
	if c.get("normals", false):
		arrays[Mesh.ARRAY_NORMAL] = nor
	if c.get("tangents", false):
		arrays[Mesh.ARRAY_TANGENT] = tan
	if c.get("colors", false):
		arrays[Mesh.ARRAY_COLOR] = col
	if c.get("uv", false):
		arrays[Mesh.ARRAY_TEX_UV] = uv
	if c.get("uv2", false):
		arrays[Mesh.ARRAY_TEX_UV2] = uv2
	if c.get("custom0", false):
		arrays[Mesh.ARRAY_CUSTOM0] = custom
	if c.get("skin", false):
		arrays[Mesh.ARRAY_BONES] = bones
		arrays[Mesh.ARRAY_WEIGHTS] = weights
	var index := PackedInt32Array()
	if c.get("indexed", false):
		var prim: int = c.get("primitive", Mesh.PRIMITIVE_TRIANGLES)
		var per: int = 2 if prim == Mesh.PRIMITIVE_LINES else 3
		for i in n:
			for k in per:
				index.append((i + k * 7 + 1) % n if k > 0 else i)
		arrays[Mesh.ARRAY_INDEX] = index
	var blend := []
	if c.get("blend", false):
		var shape := []
		shape.resize(Mesh.ARRAY_MAX)
		var moved := PackedVector3Array()
		for p in pos:
			moved.append(p + Vector3(0, 1, 0))
		shape[Mesh.ARRAY_VERTEX] = moved
		if c.get("normals", false):
			shape[Mesh.ARRAY_NORMAL] = nor
		if c.get("tangents", false):
			shape[Mesh.ARRAY_TANGENT] = tan
		blend.append(shape)
	var lods := {}
	if c.get("lods", false):
		lods[0.5] = index.slice(0, index.size() / 2 - (index.size() / 2) % 3)
	return {"arrays": arrays, "blend": blend, "lods": lods}


func _flags(c: Dictionary) -> int:
	var flags := 0
	if c.get("compress", false):
		flags |= Mesh.ARRAY_FLAG_COMPRESS_ATTRIBUTES
	if c.get("custom0", false):
		flags |= Mesh.ARRAY_CUSTOM_RGBA_FLOAT << Mesh.ARRAY_FORMAT_CUSTOM0_SHIFT
	return flags


func _mikk_mesh() -> ArrayMesh:
	# Two bent grids with UVs whose tangents Godot computes itself (MikkTSpace, SurfaceTool): the
	# second grid's U runs the other way (mirrored texture), so both binormal signs occur.
	var st := SurfaceTool.new()
	st.begin(Mesh.PRIMITIVE_TRIANGLES)
	for g in 2:
		for y in 4:
			for x in 4:
				st.set_normal(Vector3(0.1 * x, 1, -0.1 * y).normalized())
				st.set_uv(Vector2(float(x) / 3.0 if g == 0 else 1.0 - float(x) / 3.0, float(y) / 3.0))
				st.add_vertex(Vector3(x + 5 * g, 0.2 * x * y, y))
	for g in 2:
		for y in 3:
			for x in 3:
				var i := g * 16 + y * 4 + x
				# Godot's front faces are clockwise seen from the side the normals point to (+Y here).
				for k: int in [i, i + 1, i + 4, i + 1, i + 5, i + 4]:
					st.add_index(k)
	st.generate_tangents()
	return st.commit()


func _b64(v: Variant) -> Variant:
	if v == null:
		return null
	return Marshalls.raw_to_base64(v.to_byte_array())


func _dump(label: String, mesh: ArrayMesh, sources: Array) -> Array:
	var out := []
	for s in mesh.get_surface_count():
		var a := mesh.surface_get_arrays(s)
		out.append({
			# The positions this script gave Godot: Godot 4.6's surface_get_arrays() returns no vertex
			# array at all for a compressed surface without normals, so those are checked against these.
			"source_positions": _b64(sources[s]) if s < sources.size() else null,
			"label": label,
			"surface": s,
			"primitive": mesh.surface_get_primitive_type(s),
			"format": str(mesh.surface_get_format(s)),
			"positions": _b64(a[Mesh.ARRAY_VERTEX]),
			"normals": _b64(a[Mesh.ARRAY_NORMAL]),
			"tangents": _b64(a[Mesh.ARRAY_TANGENT]),
			"colors": _b64(a[Mesh.ARRAY_COLOR]),
			"uvs": _b64(a[Mesh.ARRAY_TEX_UV]),
			"uv2": _b64(a[Mesh.ARRAY_TEX_UV2]),
			"indices": _b64(a[Mesh.ARRAY_INDEX]),
		})
	return out


# Godot 4.0/4.1 stored each vertex's position, normal and tangent together (PNT PNT …); 4.2+ stores
# all positions first (PPP NTNTNT), and marks that with format version 2.
func _to_version_1(d: Dictionary) -> Dictionary:
	var v1 := d.duplicate()
	var fmt: int = d["format"]
	var n: int = d["vertex_count"]
	var ps := 12
	var nt := (4 if fmt & Mesh.ARRAY_FORMAT_NORMAL else 0) + (4 if fmt & Mesh.ARRAY_FORMAT_TANGENT else 0)
	var src: PackedByteArray = d["vertex_data"]
	var dst := PackedByteArray()
	for i in n:
		dst.append_array(src.slice(i * ps, i * ps + ps))
		dst.append_array(src.slice(ps * n + i * nt, ps * n + i * nt + nt))
	v1["vertex_data"] = dst
	v1["format"] = fmt & ~VERSION_MASK
	return v1


func _initialize() -> void:
	var dir: String = get_script().resource_path.get_base_dir()
	var cases: Array = JSON.parse_string(FileAccess.get_file_as_string(dir + "/cases.json"))
	var rng := RandomNumberGenerator.new()
	rng.seed = 20251125
	var root := Node3D.new()
	root.name = "Meshes"
	var source_positions := {}
	for c: Dictionary in cases:
		var mesh: ArrayMesh
		if c.get("mikk", false):
			mesh = _mikk_mesh()
		else:
			mesh = ArrayMesh.new()
			if c.get("blend", false):
				mesh.add_blend_shape("up")
			var surfaces: Array = c.get("surfaces", [c])
			var sources := []
			for sc: Dictionary in surfaces:
				var built := _arrays(sc, rng)
				sources.append(built["arrays"][Mesh.ARRAY_VERTEX])
				mesh.add_surface_from_arrays(sc.get("primitive", Mesh.PRIMITIVE_TRIANGLES), built["arrays"], built["blend"], built["lods"], _flags(sc))
			source_positions[c["label"]] = sources
		var mi := MeshInstance3D.new()
		mi.name = c["label"]
		mi.mesh = mesh
		root.add_child(mi)
		mi.owner = root
	var scene := PackedScene.new()
	scene.pack(root)
	var err := ResourceSaver.save(scene, dir + "/meshes.tscn")
	if err != OK:
		push_error("save failed: %d" % err)
		quit(1)
		return
	var loaded: PackedScene = ResourceLoader.load(dir + "/meshes.tscn", "", ResourceLoader.CACHE_MODE_IGNORE_DEEP)
	var inst := loaded.instantiate()
	var out := []
	for c: Dictionary in cases:
		var mesh: ArrayMesh = (inst.get_node(NodePath(c["label"])) as MeshInstance3D).mesh
		out.append_array(_dump(c["label"], mesh, source_positions.get(c["label"], [])))
		if c.get("v1", false):
			var stored: Array = mesh.get("_surfaces")
			var old: Dictionary = _to_version_1(stored[0])
			var f1 := FileAccess.open(dir + "/v1_" + c["label"] + ".txt", FileAccess.WRITE)
			f1.store_string(var_to_str(old))
			f1.close()
			var upgraded := ArrayMesh.new()
			upgraded.set("_surfaces", [old])
			out.append_array(_dump("v1_" + c["label"], upgraded, source_positions.get(c["label"], [])))
	inst.free()
	root.free()
	var f := FileAccess.open(dir + "/out.json", FileAccess.WRITE)
	f.store_string(JSON.stringify(out))
	f.close()
	quit(0)
