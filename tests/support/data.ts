import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The shared MovieLens copy tests read (never committed: its licence forbids redistribution). */
export const MOVIELENS_DIR = resolve(
  process.env.MOVIELENS_DIR ?? resolve(import.meta.dirname, "../../../shared/data/ml-latest-small"),
);
export const COURSE_DIR = resolve(MOVIELENS_DIR, "../movielens-course");
export const ML25M_MOVIES = resolve(MOVIELENS_DIR, "../ml-25m-movies.csv");

if (!existsSync(MOVIELENS_DIR)) {
  throw new Error(`Test data not found at ${MOVIELENS_DIR}; set MOVIELENS_DIR.`);
}
