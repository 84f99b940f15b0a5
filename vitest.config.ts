import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Generates the synthetic MovieLens fixture once when MOVIELENS_DIR is unset.
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests share one Redis and one dataset; files run in parallel processes, which is fine
    // on two cores as long as each file cleans up its own keys.
    pool: "forks",
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: ".cache/vitest-report.json" }]],
  },
});
