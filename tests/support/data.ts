import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The nearest `shared/data` beside the checkout or one of its parents (CI clones next to shared/). */
function findSharedData(): string {
  for (let dir = resolve(import.meta.dirname, "../.."); ; dir = dirname(dir)) {
    const candidate = join(dir, "..", "shared", "data");
    if (existsSync(join(candidate, "ml-latest-small"))) return candidate;
    if (dirname(dir) === dir) return candidate;
  }
}

/** The shared MovieLens copy tests read (never committed: its licence forbids redistribution). */
export const MOVIELENS_DIR = resolve(
  process.env.MOVIELENS_DIR ?? join(findSharedData(), "ml-latest-small"),
);
export const COURSE_DIR = resolve(MOVIELENS_DIR, "../movielens-course");
export const ML25M_MOVIES = resolve(MOVIELENS_DIR, "../ml-25m-movies.csv");

if (!existsSync(MOVIELENS_DIR)) {
  throw new Error(`Test data not found at ${MOVIELENS_DIR}; set MOVIELENS_DIR.`);
}
