import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Most test files spend their time waiting on other processes (MLflow servers, the CLI,
    // writers), so more files than cores run at once; vitest's default is one fewer than cores,
    // which on two cores runs the files one by one.
    maxWorkers: Math.max(3, os.availableParallelism()),
  },
});
