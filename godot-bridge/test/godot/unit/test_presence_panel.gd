extends "res://tests/test_case.gd"
## The presence dock (SceneSyncPresencePanel): which peers it lists, and what it says of the
## connection. The e2e test checks it against a real room.


func _panel(client: SceneSyncClient) -> SceneSyncPresencePanel:
	var panel := SceneSyncPresencePanel.new()
	tree_root.add_child(panel)
	panel.watch(client)
	return panel


func test_lists_peers_by_name_with_their_kind() -> void:
	var client := SceneSyncClient.new()
	client.peers = [{"id": "9", "name": "zoe", "kind": "web"}, {"id": "3", "name": "Bob", "kind": "godot"}, {"id": "1", "name": "bob"}]
	var panel: SceneSyncPresencePanel = _panel(client)
	expect_eq(panel.peer_lines(), PackedStringArray(["bob", "Bob (godot)", "zoe (web)"]), "peers the client already knew, by name (case-insensitive), then id")
	client.peers_changed.emit([{"id": "5", "name": "tool-7", "kind": "tool"}])
	expect_eq(panel.peer_lines(), PackedStringArray(["tool-7 (tool)"]), "a new list replaces the old one")
	client.peers_changed.emit([])
	expect_eq(panel.peer_lines(), PackedStringArray(), "an empty room")
	client.free()


func test_malformed_entries_are_skipped_or_named() -> void:
	var client := SceneSyncClient.new()
	var panel: SceneSyncPresencePanel = _panel(client)
	client.peers_changed.emit([42, "x", null, {"id": "2"}, {"name": "  "}, {"name": "ann", "kind": ""}, [1, 2]])
	expect_eq(panel.peer_lines(), PackedStringArray(["(unnamed)", "(unnamed)", "ann"]), "non-dictionaries skipped, blank names shown as (unnamed)")
	client.free()


func test_status_follows_the_connection() -> void:
	var panel := SceneSyncPresencePanel.new()
	tree_root.add_child(panel)
	panel.watch(null)
	expect_eq(panel.status_text(), "scenesync is not running", "no client")
	var client := SceneSyncClient.new()
	client.port = 47999
	client.display_name = "A"
	panel.watch(client)
	expect_eq(panel.status_text(), "Connecting to the sidecar at 127.0.0.1:47999…", "a client that has not been welcomed")
	client.peers_changed.emit([{"id": "1", "name": "B"}])
	expect_eq(panel.peer_lines(), PackedStringArray(["B"]), "its peers are shown")
	client.free()
	panel._process(1.0)
	expect_eq(panel.status_text(), "scenesync is not running", "a freed client is not touched")
	expect_eq(panel.peer_lines(), PackedStringArray(), "and its peers are not shown")


func test_switching_clients_stops_listening_to_the_old_one() -> void:
	var first := SceneSyncClient.new()
	var second := SceneSyncClient.new()
	var panel: SceneSyncPresencePanel = _panel(first)
	panel.watch(second)
	first.peers_changed.emit([{"id": "1", "name": "stale"}])
	expect_eq(panel.peer_lines(), PackedStringArray(), "the old client's peers are ignored")
	expect_true(not first.peers_changed.is_connected(panel._show_peers), "disconnected from the old client")
	first.free()
	second.free()


func test_each_peer_shows_the_nodes_it_has_selected_by_their_names_here() -> void:
	var client := SceneSyncClient.new()
	client.mirror.attach(tree_root)
	var ids: Array[String] = []
	for name: String in ["Box", "Lamp", "Cam", "Floor", "Wall"]:
		var node := Node3D.new()
		node.name = name
		tree_root.add_child(node)
	client.mirror.collect_ops()
	for node: Node in tree_root.get_children():
		ids.append(client.mirror.id_of(node))
	var panel: SceneSyncPresencePanel = _panel(client)
	client.peers_changed.emit([
		{"id": "1", "name": "B", "kind": "godot", "selection": [ids[0], ids[1]]},
		{"id": "2", "name": "C", "kind": "web", "selection": ids},
		{"id": "3", "name": "D", "selection": ["unknown-id", 7, ids[2]]},
		{"id": "4", "name": "E", "selection": "not a list"},
	])
	expect_eq(panel.peer_lines(), PackedStringArray(["B (godot): Box, Lamp", "C (web): Box, Lamp, Cam +2", "D: Cam", "E"]), "selections by name, at most three, unknown ids left out")
	client.mirror.detach()
	client.free()
