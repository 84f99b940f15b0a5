// `npm run data:synthetic -- --out DIR [--scale 0.1] [--seed 42]`: a MovieLens-shaped dataset at
// ml-25m scale for benchmarks. Titles and genres come from the real ml-25m movies.csv, which the
// licence lets us read but not redistribute, so the output goes outside the repository's tracked
// files (.cache is gitignored).
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { generateSynthetic } from "./synthetic/generate.ts";

// The shared test data sits beside the clone (../shared/data); a git worktree sits one level deeper.
const SHARED =
  ["../shared/data", "../../shared/data"].map((p) => resolve(p)).find((p) => existsSync(p)) ??
  resolve("../shared/data");

const program = new Command()
  .name("data:synthetic")
  .description("Generate a synthetic MovieLens-shaped dataset (movies.csv, links.csv, ratings.csv)")
  .option("--out <dir>", "output directory", ".cache/synthetic-25m")
  .option("--movies <file>", "MovieLens movies.csv to reuse titles and genres from")
  .option("--links <file>", "MovieLens links.csv giving real imdb/tmdb ids where known")
  .option("--popularity <file>", "real MovieLens ratings.csv whose most-rated movies lead")
  .option("--scale <n>", "fraction of ml-25m's ratings and users", "1")
  .option("--seed <n>", "random seed", "25")
  .option("--quiet", "no progress bar")
  .parse();

const opts = program.opts<{
  out: string;
  movies?: string;
  links?: string;
  popularity?: string;
  scale: string;
  seed: string;
  quiet?: boolean;
}>();

const moviesFile = resolve(opts.movies ?? resolve(SHARED, "ml-25m-movies.csv"));
const small = resolve(dirname(moviesFile), "ml-latest-small");
const linksFile = resolve(opts.links ?? resolve(small, "links.csv"));
const popularityFile = resolve(opts.popularity ?? resolve(small, "ratings.csv"));
const bar = opts.quiet
  ? undefined
  : new SingleBar({
      format: "ratings {bar} {percentage}% | {value}/{total} | eta {eta}s",
      etaBuffer: 50,
    });
const started = performance.now();
let begun = false;
const summary = await generateSynthetic({
  outDir: resolve(opts.out),
  moviesFile,
  linksFile,
  popularityFile,
  scale: Number(opts.scale),
  seed: Number(opts.seed),
  onProgress: (written, total) => {
    if (!bar) return;
    if (!begun) {
      bar.start(total, 0);
      begun = true;
    }
    bar.update(written);
  },
});
bar?.stop();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${summary.ratings} ratings by ${summary.users} users over ${summary.movies} movies in ${seconds} s → ${resolve(opts.out)}`,
);
