/**
 * Quick in-process latency check for LocalMovieSearch (the full benchmark is `npm run bench`):
 * replays every keystroke of the 300 most-rated titles and prints index build time and p50/p99.
 * Usage: node scripts/search-latency.ts [MOVIELENS_DIR] [ML25M_MOVIES_CSV]
 */
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { Movie } from "../core/catalog/movie.ts";
import { loadMovieLens, readMoviesFile } from "../core/movielens/load-movielens.ts";
import { LocalMovieSearch } from "../core/search/local-movie-search.ts";

// Defaults: the shared copy beside the checkout, as tests/support/data.ts finds it.
const shared = resolve(import.meta.dirname, "../../../shared/data");
const [dir = `${shared}/ml-latest-small`, bigFile = `${shared}/ml-25m-movies.csv`] =
  process.argv.slice(2);

const catalog = await loadMovieLens(dir);
const popular = [...catalog.movies]
  .sort((a, b) => catalog.statsOf(b.movieId).ratingCount - catalog.statsOf(a.movieId).ratingCount)
  .slice(0, 300);
const queries = popular.flatMap((movie) => {
  const typed = movie.title.toLowerCase();
  const keystrokes = Array.from({ length: typed.length }, (_, i) => typed.slice(0, i + 1));
  // One typo in the middle of the title, as fingers do.
  const mid = Math.floor(typed.length / 2);
  return [...keystrokes, typed.slice(0, mid) + typed.slice(mid + 1), `${typed} ${movie.year}`];
});

function measure(name: string, build: () => LocalMovieSearch): void {
  const started = performance.now();
  const search = build();
  const buildMs = performance.now() - started;
  for (const q of queries.slice(0, 500)) search.suggestNow(q, 10); // warm-up
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    search.suggestNow(q, 10);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(3);
  console.log(
    `${name}: ${search.size} titles, build ${buildMs.toFixed(0)} ms, ${times.length} queries, ` +
      `p50 ${pct(0.5)} ms, p90 ${pct(0.9)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms`,
  );
}

measure("ml-latest-small", () => LocalMovieSearch.fromCatalog(catalog));
const big: Movie[] = await readMoviesFile(bigFile);
measure("ml-25m movies", () => new LocalMovieSearch(big));
