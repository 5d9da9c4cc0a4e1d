import { defineConfig } from 'vitest/config';

// Two projects: pure math (fast, no GPU) and GPU kernels on a real WebGPU adapter
// (SwiftShader in CI). The GPU project runs files serially: one Dawn instance at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          // Some math tests run whole solvers; 5 s (the default) is too tight on a busy 2-core CI box.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
