import { TscnError } from './errors.js';

/**
 * A cursor over Godot text-resource source: the one place that knows about whitespace, `;` comments,
 * string escapes and line numbers. The header/property reader and the value reader share it.
 */
export class TscnScanner {
  pos = 0;

  constructor(readonly text: string) {}

  /** 1-based line of `pos` (for error messages only; counted on demand). */
  line(at: number = this.pos): number {
    let n = 1;
    for (let i = 0; i < at && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) n++;
    return n;
  }

  fail(message: string, at: number = this.pos): never {
    throw new TscnError('SYNTAX', message, this.line(at));
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  /** Skips spaces, newlines and `;` comments (comments run to the end of the line). */
  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else if (c === 59 /* ; */) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.pos++;
      } else break;
    }
  }

  /** Consumes `ch` after optional space, or fails saying what was expected. */
  expect(ch: string): void {
    this.skipSpace();
    if (this.text.charAt(this.pos) !== ch) this.fail(`expected "${ch}" but found ${this.describeHere()}`);
    this.pos++;
  }

  /** Consumes `ch` if it is next (after optional space). */
  accept(ch: string): boolean {
    this.skipSpace();
    if (this.text.charAt(this.pos) === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  describeHere(): string {
    return this.atEnd() ? 'the end of the file' : JSON.stringify(this.text.slice(this.pos, this.pos + 20));
  }

  /** Reads an identifier (`[A-Za-z_][A-Za-z0-9_]*`); empty string when none is next. */
  identifier(): string {
    this.skipSpace();
    const start = this.pos;
    const t = this.text;
    while (this.pos < t.length && /[A-Za-z0-9_]/.test(t.charAt(this.pos))) this.pos++;
    return t.slice(start, this.pos);
  }

  /** Reads a double-quoted string with Godot's escapes (`\n \t \r \" \\ \uXXXX \UXXXXXX`). */
  string(): string {
    this.expect('"');
    const t = this.text;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charAt(this.pos);
      if (c === '"') {
        out += t.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === '\\') {
        out += t.slice(runStart, this.pos);
        const e = t.charAt(this.pos + 1);
        this.pos += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u':
          case 'U': {
            const len = e === 'u' ? 4 : 6;
            const hex = t.slice(this.pos, this.pos + len);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`bad \\${e} escape`);
            out += String.fromCodePoint(parseInt(hex, 16));
            this.pos += len;
            break;
          }
          default:
            // Godot keeps the escaped character itself for `\"`, `\\` and anything unknown.
            out += e;
        }
        runStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  /** Reads a number literal as written (sign, digits, fraction, exponent); empty when none is next. */
  numberText(): string {
    this.skipSpace();
    const m = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }
}
