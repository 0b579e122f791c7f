@tool
class_name SceneSyncReplication
extends RefCounted
## Which properties of a node are checked for changes every frame (Godot has no generic
## "property changed" signal). Nodes of other classes still receive every property a peer sets;
## this list only decides what this addon watches and sends after a node was added.

## Class name -> properties watched on nodes of that class (and of classes inheriting from it).
## (Node3D `transform` and `visible` are checked on SceneSyncMirror's per-frame fast path for every
## Node3D and are not listed here.)
const WATCHED: Dictionary = {
	&"MeshInstance3D": ["mesh", "material_override"],
	&"Light3D": ["light_color", "light_energy", "shadow_enabled"],
	&"OmniLight3D": ["omni_range"],
	&"SpotLight3D": ["spot_range", "spot_angle"],
	&"Camera3D": ["fov", "near", "far", "projection", "size"],
	&"CSGShape3D": ["operation", "use_collision"],
	&"CSGBox3D": ["size", "material"],
	&"CSGSphere3D": ["radius", "material"],
	&"CSGCylinder3D": ["radius", "height", "material"],
	&"CSGTorus3D": ["inner_radius", "outer_radius", "material"],
	&"CSGPolygon3D": ["polygon", "depth", "material"],
	&"CSGMesh3D": ["mesh", "material"],
}

## Property names never sent: scenesync's own bookkeeping and editor-only state.
const SKIPPED: PackedStringArray = ["metadata/scenesync_id", "owner", "scene_file_path", "script"]

static var _cache: Dictionary[StringName, PackedStringArray] = {}
static var _name_cache: Dictionary[StringName, Array] = {}


## Properties watched on nodes of `class_name_` besides a Node3D's transform and visibility, which
## are checked separately on a faster path.
static func watched_for(class_name_: StringName) -> PackedStringArray:
	if _cache.has(class_name_):
		return _cache[class_name_]
	var props := PackedStringArray()
	var cls: StringName = class_name_
	while cls != &"":
		if WATCHED.has(cls):
			var own: Array = WATCHED[cls]
			for prop: String in own:
				props.append(prop)
		cls = ClassDB.get_parent_class(cls)
	_cache[class_name_] = props
	return props


## watched_for() as StringNames (what Object.get() takes without converting): the per-frame path.
static func watched_names_for(class_name_: StringName) -> Array[StringName]:
	if _name_cache.has(class_name_):
		var cached: Array[StringName] = []
		cached.assign(_name_cache[class_name_])
		return cached
	var names: Array[StringName] = []
	for prop: String in watched_for(class_name_):
		names.append(StringName(prop))
	_name_cache[class_name_] = names
	return names


## Stored properties of `object` whose value differs from the class default: what a peer needs to
## rebuild it. Resources and nodes both work.
static func stored_non_default(object: Object) -> Dictionary[String, Variant]:
	var out: Dictionary[String, Variant] = {}
	var cls: StringName = object.get_class()
	for info: Dictionary in object.get_property_list():
		var usage: int = info["usage"]
		if usage & PROPERTY_USAGE_STORAGE == 0:
			continue
		var name: String = info["name"]
		if name in SKIPPED or name.begins_with("resource_"):
			continue
		var value: Variant = object.get(name)
		if ClassDB.class_exists(cls):
			var default: Variant = ClassDB.class_get_property_default_value(cls, name)
			if typeof(default) == typeof(value) and default == value:
				continue
		out[name] = value
	return out
