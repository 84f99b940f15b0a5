import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { inject } from "vitest";
import { FIXTURE_DIR } from "./movielens-fixture.ts";

/**
 * The data the tests read. With MOVIELENS_DIR set (CI sets ../shared/data/ml-latest-small), the
 * real MovieLens copy; without it, the project's own synthetic fixture (made-up titles, generated
 * by tests/support/global-setup.ts), so `npm test` needs nothing but Node. MovieLens itself is
 * never committed: its licence forbids redistribution.
 *
 * Tests that assert real titles ("Toy Story", "The Matrix") ask for `realMovieLens` in
 * requirements.ts and are skipped, with the reason shown, on the fixture.
 */
const configured = process.env.MOVIELENS_DIR ? resolve(process.env.MOVIELENS_DIR) : undefined;

function syntheticDir(): string {
  try {
    return inject("syntheticMovieLensDir");
  } catch {
    // Outside a vitest run (a child process of a test): the fixture's fixed place.
    return FIXTURE_DIR;
  }
}

/** True when MOVIELENS_DIR points at a real MovieLens copy. */
export const REAL_MOVIELENS =
  configured !== undefined && existsSync(join(configured, "movies.csv"));

if (configured !== undefined && !REAL_MOVIELENS) {
  throw new Error(
    `MOVIELENS_DIR=${configured} holds no movies.csv; unset it to use the synthetic fixture.`,
  );
}

/** MovieLens-shaped data: the real ml-latest-small when configured, else the synthetic fixture. */
export const MOVIELENS_DIR = configured ?? syntheticDir();

/**
 * Settings for a server on the test data, with a model cache and member database of its own,
 * answering in process (no threads): add or override the rest.
 */
export function embeddedSettings(name: string): Record<string, string> {
  return {
    PORT: "0",
    MOVIELENS_DIR,
    CACHE_DIR: mkdtempSync(join(tmpdir(), `moviebot-${name}-cache-`)),
    DATA_DIR: mkdtempSync(join(tmpdir(), `moviebot-${name}-data-`)),
    RECOMMEND_THREADS: "0",
    SEARCH_THREADS: "0",
  };
}

/** The course's layout of MovieLens (MOVIELENS_COURSE_DIR, else beside MOVIELENS_DIR). */
export const COURSE_DIR = resolve(
  process.env.MOVIELENS_COURSE_DIR ??
    join(dirname(configured ?? "/nonexistent/x"), "movielens-course"),
);
/** The ml-25m movies.csv, 62k real titles (MOVIELENS_25M_MOVIES, else beside MOVIELENS_DIR). */
export const ML25M_MOVIES = resolve(
  process.env.MOVIELENS_25M_MOVIES ??
    join(dirname(configured ?? "/nonexistent/x"), "ml-25m-movies.csv"),
);
