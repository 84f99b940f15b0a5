/**
 * Quick in-process latency check for LocalMovieSearch (the full benchmark is `npm run bench`):
 * replays every keystroke of the 300 most-rated titles (plus one typo and one "title year" query
 * each) on ml-latest-small and on the 62k ml-25m titles, and prints index build time and p50/p99.
 * Usage: npm run bench:search -- [MOVIELENS_DIR] [ML25M_MOVIES_CSV]
 */
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { loadMovieLens, readMoviesFile } from "../core/adapters/movielens/load-movielens.ts";
import type { Movie } from "../core/catalog/movie.ts";
import { LocalMovieSearch } from "../core/search/local-movie-search.ts";

// Defaults: the shared copy beside the checkout, as tests/support/data.ts finds it.
const shared = resolve(import.meta.dirname, "../../shared/data");
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

function percentiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(3);
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}

function measure(name: string, build: () => LocalMovieSearch): void {
  const started = performance.now();
  const search = build();
  const buildMs = performance.now() - started;
  // JIT warm-up on queries that are not measured (and do not fill the cache of short queries).
  for (let i = 0; i < 3; i++)
    for (const q of ["heat 1995", "godfater", "toy story"]) search.suggestNow(q, 10);
  // First pass: every keystroke as a fresh user types it (short queries not yet cached).
  // Second pass: the same keystrokes again, as the hundredth user types them.
  for (const pass of ["first pass", "second pass"]) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (const q of queries) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      search.suggestNow(q, 10);
      times.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    console.log(
      `${name}: ${search.size} titles, build ${buildMs.toFixed(0)} ms, ${pass}, ${times.length} queries`,
    );
    console.log(`  wall: ${percentiles(times)}`);
    // CPU time leaves out the time the process waited for a core: on a busy machine, the wall
    // clock's tail measures the neighbours, this measures the search.
    console.log(`  cpu:  ${percentiles(cpuTimes)}`);
  }
}

measure("ml-latest-small", () => LocalMovieSearch.fromCatalog(catalog));
const big: Movie[] = await readMoviesFile(bigFile);
measure("ml-25m movies", () => new LocalMovieSearch(big));
