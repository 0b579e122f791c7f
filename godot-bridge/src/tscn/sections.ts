import type { GodotValue } from '@scenesync/core';
import { TscnScanner } from './scanner.js';
import { readVariant, type VariantReadHooks } from './variant-text.js';

/** One `[tag attr=value ...]` header of a text resource and the `key = value` lines under it. */
export interface TscnSection {
  readonly tag: string;
  /** Header attributes in file order. */
  readonly attrs: ReadonlyMap<string, GodotValue>;
  /** Properties in file order. */
  readonly props: ReadonlyArray<readonly [string, GodotValue]>;
  /** 1-based line of the header. */
  readonly line: number;
}

/**
 * Splits a Godot text resource (.tscn/.tres) into sections, reading every value with `hooks`. A
 * generator: each section is yielded before the next is read, so a consumer that registers
 * `[sub_resource]` / `[ext_resource]` ids as they pass resolves later references to them.
 * Throws TscnError('SYNTAX') on broken structure; never on an unknown value (see hooks.unknown).
 */
export function* readSections(
  text: string,
  hooks: (section: { tag: string; line: number }) => VariantReadHooks,
): Generator<TscnSection, void, void> {
  const s = new TscnScanner(text);
  s.skipSpace();
  while (!s.atEnd()) {
    if (s.peek() !== '[') s.fail(`expected a "[section]" header but found ${s.describeHere()}`);
    const headerPos = s.pos;
    s.pos++;
    const tag = s.identifier();
    if (tag === '') s.fail('a section header needs a tag such as [node ...]');
    const line = s.line(headerPos);
    const h = hooks({ tag, line });
    const attrs = new Map<string, GodotValue>();
    while (!s.accept(']')) {
      const key = s.identifier();
      if (key === '') s.fail(`expected an attribute or "]" in [${tag}] but found ${s.describeHere()}`);
      s.expect('=');
      attrs.set(key, readVariant(s, h));
    }
    const props: [string, GodotValue][] = [];
    s.skipSpace();
    while (!s.atEnd() && s.peek() !== '[') {
      const key = readPropertyKey(s);
      s.expect('=');
      props.push([key, readVariant(s, h)]);
      s.skipSpace();
    }
    yield { tag, attrs, props, line };
  }
}

/** Property keys are bare (`shader_parameter/albedo`, `surface_material_override/0`) or quoted. */
function readPropertyKey(s: TscnScanner): string {
  s.skipSpace();
  if (s.peek() === '"') return s.string();
  const start = s.pos;
  const t = s.text;
  while (s.pos < t.length && t.charAt(s.pos) !== '=' && t.charAt(s.pos) !== '\n') s.pos++;
  const key = t.slice(start, s.pos).trim();
  if (key === '' || t.charAt(s.pos) !== '=') s.fail('expected "key = value"', start);
  return key;
}
