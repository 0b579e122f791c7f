import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Not cleaned: the two builds share dist/ and run in parallel.
    clean: false,
    target: 'es2022',
    // import.meta.url (finding the viewer) also works in the CommonJS build.
    shims: true,
  },
  {
    // The executable: ESM only (top-level await), run as `node dist/bin.js` or through the `scenesync` bin.
    entry: ['src/bin.ts'],
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'es2022',
  },
]);
