import { defineConfig, type Plugin } from 'vite';

/**
 * Node built-ins that scenesync packages import only on their Node code paths (`@scenesync/gltf`
 * starts a worker_threads worker there; `@scenesync/webrtc` loads `ws` and `@roamhq/wrtc`). Those
 * paths never run in a browser, but the bundler still sees the imports: they resolve to a stub whose
 * every export throws if it were ever called.
 */
const NODE_ONLY = /^(node:)?(fs|path|url|worker_threads|module|os|crypto)$|^ws$|^@roamhq\/wrtc$/;

function nodeOnlyStubs(): Plugin {
  const prefix = '\0scenesync-node-only:';
  return {
    name: 'scenesync-node-only-stubs',
    enforce: 'pre',
    resolveId(id, importer) {
      // Only for imports from our own packages' built code; third-party modules keep Vite's handling.
      if (!NODE_ONLY.test(id) || !importer || !/[\\/](packages|godot-bridge)[\\/][^\\/]+[\\/]dist[\\/]/.test(importer)) return null;
      return prefix + id;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = JSON.stringify(id.slice(prefix.length));
      return {
        code: `const fail = () => { throw new Error(${name} + ' is not available in a browser'); };\nexport default new Proxy(fail, { get: () => fail });\n`,
        syntheticNamedExports: 'default',
      };
    },
  };
}

// The viewer is served by scenesync-server at `/` (any path prefix works: base './').
export default defineConfig({
  base: './',
  plugins: [nodeOnlyStubs()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es', plugins: () => [nodeOnlyStubs()] },
});
