import { defineConfig } from 'vitest/config';

// One project per workspace package; each package's vitest.config.ts sets its own timeouts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'godot-bridge', 'examples/web-viewer'],
  },
});
