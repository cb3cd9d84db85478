import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and fast (no network, no Docker, no processes);
// `e2e` runs real things (npm installs, onnxruntime-node, Docker, Chromium) and is slower.
export default defineConfig({
  test: {
    // e2e files share one Docker daemon and two cores: run files one at a time.
    fileParallelism: false,
    // No test may pull an image: this machine, and CI, reach no container registry.
    env: { MATRIX_PULL: 'never' },
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'service/src/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // Each file's temp folders are removed when it ends (test/helpers/temp.ts).
          setupFiles: ['test/helpers/setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
