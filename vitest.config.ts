import { defineConfig } from 'vitest/config';

// Projects by what they need: nothing (unit), a database, the OCR engine, the speech engines, a real Temporal server, the whole system.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'db', include: ['test/db/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: 'documents', include: ['test/documents/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // Speech engines with their real models (fetched from the pinned wheels on first use).
      { test: { name: 'speech', include: ['test/speech/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
      {
        test: {
          name: 'temporal',
          include: ['test/workflows/**/*.test.ts', 'test/api/**/*.test.ts', 'test/replay/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      // Whole systems as processes (production topology, faults, the fuzzer, npm start): after everything
      // else, so a Temporal server stopped on purpose or a fuzzer's load never starves another file's.
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
