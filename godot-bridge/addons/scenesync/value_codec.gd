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
	if _holds_bytes(value):
		return _text_with_base64(value)
	return var_to_str(value)


## Variant text as `var_to_str` writes it, except that byte arrays are base64
## (`PackedByteArray("…")`, the syntax of Godot 4.3+ scene files, which `str_to_var` and the sidecar
## read): `var_to_str` writes them as decimal lists, about 3.5 characters per byte, so an image's
## pixels would travel as tens of megabytes of text (B-VAL-3).
static func _text_with_base64(value: Variant) -> String:
	match typeof(value):
		TYPE_PACKED_BYTE_ARRAY:
			return "PackedByteArray(\"%s\")" % Marshalls.raw_to_base64(value)
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			if not dict.is_typed():
				# Keys sorted, as var_to_str writes them, so both codecs give the same entry order.
				var keys: Array = dict.keys()
				keys.sort()
				var parts := PackedStringArray()
				for key: Variant in keys:
					parts.append("%s: %s" % [_text_with_base64(key), _text_with_base64(dict[key])])
				return "{" + ", ".join(parts) + "}"
		TYPE_ARRAY:
			var items: Array = value
			if not items.is_typed():
				var parts := PackedStringArray()
				for item: Variant in items:
					parts.append(_text_with_base64(item))
				return "[" + ", ".join(parts) + "]"
	return var_to_str(value)


static func _holds_bytes(value: Variant) -> bool:
	match typeof(value):
		TYPE_PACKED_BYTE_ARRAY:
			return true
		TYPE_ARRAY:
			var items: Array = value
			for item: Variant in items:
				if _holds_bytes(item):
					return true
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			for key: Variant in dict:
				if _holds_bytes(key) or _holds_bytes(dict[key]):
					return true
	return false


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
