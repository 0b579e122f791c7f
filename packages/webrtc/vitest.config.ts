import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@scenesync/webrtc',
    include: ['test/**/*.test.ts'],
    // The e2e files each make their own network namespaces and use distinct ports, so they may run in
    // parallel; on 2 cores vitest runs one file at a time anyway.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
