// Assembles docs/benchmarks.md from the per-package result pages in docs/benchmarks/ that each
// package's `npm run bench` writes. Run by the root `npm run bench`; safe to run alone.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const order = ['core', 'webrtc', 'gltf', 'server', 'godot-bridge'];
const pages = readdirSync(join(docs, 'benchmarks'))
  .filter((f) => f.endsWith('.md'))
  .sort((a, b) => (order.indexOf(a.slice(0, -3)) + 1 || 99) - (order.indexOf(b.slice(0, -3)) + 1 || 99));

const intro = readFileSync(join(docs, 'benchmarks-intro.md'), 'utf8').trim();
const sections = pages.map((f) => readFileSync(join(docs, 'benchmarks', f), 'utf8').trim());
writeFileSync(join(docs, 'benchmarks.md'), `${intro}\n\n${sections.join('\n\n---\n\n')}\n`);
console.log(`docs/benchmarks.md: ${pages.length} sections (${pages.join(', ')})`);
