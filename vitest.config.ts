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
