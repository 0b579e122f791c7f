import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@scenesync/server',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
