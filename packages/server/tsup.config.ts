import { defineConfig } from 'tsup';

export default defineConfig({
  // bin.ts starts with a hashbang: tsup keeps it and marks dist/bin.js executable.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'es2022',
});
