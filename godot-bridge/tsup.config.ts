import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'bin/scenesync-bridge': 'src/bin/scenesync-bridge.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Loaded only when the WebRTC transport is used.
  external: ['@scenesync/webrtc', '@roamhq/wrtc'],
});
