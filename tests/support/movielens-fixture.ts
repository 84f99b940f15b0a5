import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { generateSynthetic } from "../../scripts/synthetic/generate.ts";
import { writeMadeUpMovies } from "../../scripts/synthetic/made-up-movies.ts";

/** Bump when the fixture's shape changes, so a stale copy in .cache is regenerated. */
const VERSION = 3;
export const FIXTURE_DIR = resolve(
  import.meta.dirname,
  `../../.cache/test-fixture/movielens-synthetic-v${VERSION}`,
);

/**
 * The tests' own MovieLens-shaped data set for machines without MovieLens: 2,000 made-up films,
 * about 320 users and 50,000 ratings with taste clusters (the generator behind `npm run
 * data:synthetic`), deterministic, generated once into .cache (about a second). Written to a
 * temporary folder and renamed, so parallel runs never read half a fixture.
 */
export async function ensureSyntheticMovieLens(dir = FIXTURE_DIR): Promise<string> {
  if (existsSync(join(dir, "ratings.csv"))) return dir;
  mkdirSync(resolve(dir, "../bot"), { recursive: true });
  const work = mkdtempSync(`${dir}.tmp-`);
  try {
    const moviesFile = join(work, "made-up-movies.csv");
    writeMadeUpMovies(moviesFile, 2000, 13);
    // Made-up IMDb and TMDB ids too, so poster, trailer and where-to-watch look-ups have an id to
    // send (to the tests' stand-ins).
    const linksFile = join(work, "made-up-links.csv");
    const ids = readFileSync(moviesFile, "utf8")
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => Number(line.split(",")[0]));
    writeFileSync(
      linksFile,
      `movieId,imdbId,tmdbId\n${ids.map((id) => `${id},${String(9_000_000 + id)},${800_000 + id}`).join("\n")}\n`,
    );
    await generateSynthetic({ outDir: work, moviesFile, linksFile, scale: 0.002, seed: 13 });
    rmSync(moviesFile);
    rmSync(linksFile);
    writeFileSync(
      join(work, "README.txt"),
      "Synthetic, MovieLens-shaped test fixture: made-up titles and ratings (tests/support/movielens-fixture.ts).\n",
    );
    try {
      renameSync(work, dir);
    } catch (error) {
      // Another run renamed its copy first: theirs is as good as ours.
      if (!existsSync(join(dir, "ratings.csv"))) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
