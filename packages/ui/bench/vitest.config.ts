import { defineConfig } from 'vitest/config';

// `pnpm bench:ui`: the rendering benchmark runs alone, in one worker, with room for a slow machine.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/**/*.bench-run.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
