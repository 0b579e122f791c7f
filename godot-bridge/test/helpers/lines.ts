/** The JSON payloads of every stdout line starting with `tag ` (how the Godot scripts report). */
export function taggedLines<T = unknown>(stdout: string, tag: string): T[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${tag} `))
    .map((l) => JSON.parse(l.slice(tag.length + 1)) as T);
}
