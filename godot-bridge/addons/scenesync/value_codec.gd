@tool
class_name SceneSyncValueCodec
extends RefCounted
## Plain Godot values to and from the bridge wire (docs/bridge-protocol.md §Values): Variant text,
## the same text `var_to_str` writes and .tscn files hold. Resources are handled by SceneSyncMirror,
## which knows their ids; inside arrays and dictionaries they travel as null (B-VAL-1).


## Variant text of a value that holds no Object; null (JSON null) for one that does.
static func encode_plain(value: Variant) -> Variant:
	if _holds_object(value):
		return null
	return var_to_str(value)


## The value of Variant text from the sidecar. Refuses text that could construct an Object
## (B-VAL-2) and returns `fallback` for it and for anything unreadable.
static func decode_text(text: String, fallback: Variant = null) -> Variant:
	if text.contains("Object("):
		push_warning("scenesync: refused a value that would construct an Object")
		return fallback
	return str_to_var(text)


static func _holds_object(value: Variant) -> bool:
	match typeof(value):
		TYPE_OBJECT:
			return true
		TYPE_ARRAY:
			var items: Array = value
			for item: Variant in items:
				if _holds_object(item):
					return true
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			for key: Variant in dict:
				if _holds_object(key) or _holds_object(dict[key]):
					return true
	return false
