import { defineConfig } from 'vitest/config';

// Integration files each clone their own database, so files run in parallel; 2 cores here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
