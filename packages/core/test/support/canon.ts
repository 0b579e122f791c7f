/**
 * An exact, order-independent text form of values and trees, used to compare what two peers (or a
 * peer and a mirror) hold without trusting the code under test to judge equality. Floats are written
 * as their IEEE-754 bits (so -0 differs from 0; every NaN is written as one canonical NaN because a
 * JavaScript number does not carry a NaN payload reliably), bigints with an `i` prefix, typed arrays as
 * their constructor name plus their raw bytes (bit-exact, NaN payloads included), plain objects with
 * sorted keys, arrays in order.
 */
export function canon(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

function write(v: unknown, out: string[]): void {
  if (v === null) return void out.push('null');
  if (v === undefined) return void out.push('undef');
  switch (typeof v) {
    case 'boolean':
      return void out.push(v ? 'true' : 'false');
    case 'number':
      if (Number.isNaN(v)) return void out.push('f:NaN');
      f64[0] = v;
      return void out.push('f:' + hex(f64bytes));
    case 'bigint':
      return void out.push('i:' + v.toString());
    case 'string':
      return void out.push(JSON.stringify(v));
    case 'object':
      break;
    default:
      return void out.push('<' + typeof v + '>');
  }
  if (ArrayBuffer.isView(v)) {
    const view = v as ArrayBufferView;
    out.push(view.constructor.name + '(' + hex(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) + ')');
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) out.push('<' + (proto?.constructor?.name ?? '?') + '>');
  const keys = Object.keys(v as object).sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k) + ':');
    write((v as Record<string, unknown>)[k], out);
  });
  out.push('}');
}
