import type { TestProject } from "vitest/node";
import { ensureSyntheticMovieLens } from "./movielens-fixture.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The made-up MovieLens-shaped fixture, generated once per run when MOVIELENS_DIR is unset. */
    syntheticMovieLensDir: string;
  }
}

/** Runs once before every test file: the fixture is generated here, not by each file at once. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide("syntheticMovieLensDir", await ensureSyntheticMovieLens());
}
