@tool
class_name SceneSyncValueCodec
extends RefCounted
## Plain Godot values to and from the bridge wire (docs/bridge-protocol.md §Values): Variant text,
## the same text `var_to_str` writes and .tscn files hold. Resources are handled by SceneSyncMirror,
## which knows their ids; inside arrays and dictionaries they travel as `SubResource("<id>")` or,
## for a file, `ExtResource("res://…", "<class>")` (B-VAL-1).

## What a nested reference becomes while the text is read by `str_to_var` (which knows no
## SubResource): a StringName no scene holds, numbered in order of appearance.
const _REF_MARK := "\u001fscenesync-ref:"


## Variant text of a value that holds no Object; null (JSON null) for one that does.
static func encode_plain(value: Variant) -> Variant:
	if _holds(value, TYPE_OBJECT):
		return null
	if _holds(value, TYPE_PACKED_BYTE_ARRAY):
		return _text(value, Callable())
	return var_to_str(value)


## Variant text of a value whose Objects are written by `ref_text` (B-VAL-1): it returns the text of
## one Object, `SubResource("<id>")` for a resource of the document or `null`. A typed array or
## dictionary that holds Objects travels as null: its element type would not survive the text.
static func encode_with_refs(value: Variant, ref_text: Callable) -> Variant:
	if not _holds(value, TYPE_OBJECT):
		return encode_plain(value)
	if _typed_holds_object(value):
		return null
	return _text(value, ref_text)


## The value of Variant text that may hold references (B-VAL-1): each `SubResource("<id>")` becomes
## `resolve.call(id)` and each `ExtResource("res://…", "<class>")` `resolve.call({"ext": path,
## "type": class})`, a Resource or null. Anything unreadable gives `fallback`.
static func decode_with_refs(text: String, resolve: Callable, fallback: Variant = null) -> Variant:
	if not text.contains("SubResource(") and not text.contains("ExtResource("):
		return decode_text(text, fallback)
	var ids: Array = []
	var marked := _mark_refs(text, ids)
	if marked == "":
		push_warning("scenesync: refused a value with a malformed SubResource reference")
		return fallback
	var value: Variant = decode_text(marked, fallback)
	return _resolve_refs(value, ids, resolve)


## Variant text as `var_to_str` writes it, except that byte arrays are base64
## (`PackedByteArray("…")`, the syntax of Godot 4.3+ scene files, which `str_to_var` and the sidecar
## read): `var_to_str` writes them as decimal lists, about 3.5 characters per byte, so an image's
## pixels would travel as tens of megabytes of text (B-VAL-3). Objects are written by `ref_text`.
static func _text(value: Variant, ref_text: Callable) -> String:
	match typeof(value):
		TYPE_OBJECT:
			return ref_text.call(value) if ref_text.is_valid() else "null"
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
					parts.append("%s: %s" % [_text(key, ref_text), _text(dict[key], ref_text)])
				return "{" + ", ".join(parts) + "}"
		TYPE_ARRAY:
			var items: Array = value
			if not items.is_typed():
				var parts := PackedStringArray()
				for item: Variant in items:
					parts.append(_text(item, ref_text))
				return "[" + ", ".join(parts) + "]"
	return var_to_str(value)


## Does a typed array or dictionary somewhere in `value` hold an Object?
static func _typed_holds_object(value: Variant) -> bool:
	match typeof(value):
		TYPE_ARRAY:
			var items: Array = value
			if items.is_typed():
				return _holds(items, TYPE_OBJECT)
			for item: Variant in items:
				if _typed_holds_object(item):
					return true
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			if dict.is_typed():
				return _holds(dict, TYPE_OBJECT)
			for key: Variant in dict:
				if _typed_holds_object(key) or _typed_holds_object(dict[key]):
					return true
	return false


## `text` with each `SubResource("<id>")` and `ExtResource("<path>", "<class>")` outside string
## literals replaced by a numbered mark (its id, or `{"ext": path, "type": class}`, appended to
## `ids`); "" when a reference is malformed. Jumps from quote to quote with String.find, so
## megabytes of base64 vertex data are not walked character by character.
static func _mark_refs(text: String, ids: Array) -> String:
	var out := PackedStringArray()
	var at := 0
	# Where the next reference of each kind starts; searched again only once passed, so a text with
	# many strings and few references is not scanned to its end at every string.
	var sub := text.find("SubResource(")
	var ext := text.find("ExtResource(")
	while true:
		if sub >= 0 and sub < at:
			sub = text.find("SubResource(", at)
		if ext >= 0 and ext < at:
			ext = text.find("ExtResource(", at)
		var quote := text.find("\"", at)
		var ref := sub if ext < 0 or (sub >= 0 and sub < ext) else ext
		if ref < 0:
			out.append(text.substr(at))
			break
		if quote >= 0 and quote < ref:
			var close := _string_end(text, quote)
			if close < 0:
				return ""
			out.append(text.substr(at, close + 1 - at))
			at = close + 1
			continue
		out.append(text.substr(at, ref - at))
		# The arguments: one string literal, or two for ExtResource.
		var args: Array[String] = []
		var pos := ref + "SubResource(".length()
		while true:
			while pos < text.length() and text[pos] == " ":
				pos += 1
			if pos >= text.length() or text[pos] != "\"":
				return ""
			var close := _string_end(text, pos)
			if close < 0:
				return ""
			var arg: Variant = str_to_var(text.substr(pos, close + 1 - pos))
			if not arg is String or (arg as String).is_empty():
				return ""
			args.append(arg as String)
			pos = close + 1
			while pos < text.length() and text[pos] == " ":
				pos += 1
			if pos < text.length() and text[pos] == "," and ref == ext and args.size() == 1:
				pos += 1
				continue
			break
		if pos >= text.length() or text[pos] != ")":
			return ""
		out.append("&\"%s%d\"" % [_REF_MARK, ids.size()])
		if ref == sub:
			ids.append(args[0])
		else:
			ids.append({"ext": args[0], "type": args[1] if args.size() > 1 else "Resource"})
		at = pos + 1
	return "".join(out)


## Index of the quote that closes the string literal opened at `open`, or -1.
static func _string_end(text: String, open: int) -> int:
	var at := open + 1
	while true:
		var quote := text.find("\"", at)
		if quote < 0:
			return -1
		var backslashes := 0
		while quote - 1 - backslashes > open and text[quote - 1 - backslashes] == "\\":
			backslashes += 1
		if backslashes % 2 == 0:
			return quote
		at = quote + 1
	return -1


static func _resolve_refs(value: Variant, ids: Array, resolve: Callable) -> Variant:
	match typeof(value):
		TYPE_STRING_NAME:
			var text := String(value)
			if text.begins_with(_REF_MARK):
				var index := text.substr(_REF_MARK.length()).to_int()
				return resolve.call(ids[index]) if index >= 0 and index < ids.size() else null
		TYPE_ARRAY:
			var items: Array = value
			for i in items.size():
				items[i] = _resolve_refs(items[i], ids, resolve)
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			var resolved := {}
			for key: Variant in dict:
				resolved[_resolve_refs(key, ids, resolve)] = _resolve_refs(dict[key], ids, resolve)
			return resolved
	return value


## The value of Variant text from the sidecar. Refuses text that could construct an Object
## (B-VAL-2) and returns `fallback` for it and for anything unreadable.
static func decode_text(text: String, fallback: Variant = null) -> Variant:
	if text.contains("Object("):
		push_warning("scenesync: refused a value that would construct an Object")
		return fallback
	return str_to_var(text)


## Does `value` hold a Variant of type `kind`: is it one, or is one anywhere inside its arrays and
## dictionaries (keys too)?
static func _holds(value: Variant, kind: int) -> bool:
	if typeof(value) == kind:
		return true
	match typeof(value):
		TYPE_ARRAY:
			var items: Array = value
			for item: Variant in items:
				if _holds(item, kind):
					return true
		TYPE_DICTIONARY:
			var dict: Dictionary = value
			for key: Variant in dict:
				if _holds(key, kind) or _holds(dict[key], kind):
					return true
	return false
