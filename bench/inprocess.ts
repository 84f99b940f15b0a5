import type { Catalog } from "../core/catalog/catalog.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";
import { createRecommender, createSearch, type StrategyName } from "./adapters.ts";
import { atMost, type BenchRow, info, mean, ms, quantile, seconds } from "./report.ts";
import { likedSets, suggestQueries } from "./workload.ts";

export interface InProcessOptions {
  catalog: Catalog;
  cacheDir: string;
  quick: boolean;
}

const SUGGEST_P99_MS = 2;
const RECOMMEND_P99_MS = 20;
const SECTION = "in-process (ml-latest-small)";

/** Passes over the liked sets; the recommender keeps no per-request cache, so repeats are fair. */
const PASSES = 3;

interface Timings {
  /** Every call's time, all passes pooled: what users meet, scheduler noise included. */
  all: number[];
  /** Per input, its fastest pass: the code's own cost, with preemption by other work removed. */
  best: number[];
}

/**
 * Times each call on its own, over `passes` passes, after warm-up calls (other inputs than the
 * timed ones, so nothing timed is already in a cache) that let the JIT settle.
 */
async function timeEach<T>(
  inputs: readonly T[],
  warmup: readonly T[],
  passes: number,
  call: (input: T) => Promise<unknown>,
): Promise<Timings> {
  for (const input of warmup) await call(input);
  const all: number[] = [];
  const best = new Array<number>(inputs.length).fill(Number.POSITIVE_INFINITY);
  for (let pass = 0; pass < passes; pass++) {
    for (const [i, input] of inputs.entries()) {
      const start = performance.now();
      await call(input);
      const took = performance.now() - start;
      all.push(took);
      if (took < (best[i] as number)) best[i] = took;
    }
  }
  return { all, best };
}

/** The inputs whose best time is worst: where to look when p99 misses. */
function slowest<T>(
  inputs: readonly T[],
  timings: Timings,
  count: number,
  show: (input: T) => string,
) {
  return timings.best
    .map((time, i) => ({ time, input: inputs[i] as T }))
    .sort((a, b) => b.time - a.time)
    .slice(0, count)
    .map(({ time, input }) => `${show(input)} ${ms(time)}`)
    .join(", ");
}

export async function benchInProcess(options: InProcessOptions): Promise<BenchRow[]> {
  const { catalog, quick } = options;
  const rows: BenchRow[] = [];
  let started = performance.now();
  const search: MovieSearch = createSearch(catalog);
  rows.push(info(SECTION, "search index build", seconds((performance.now() - started) / 1000)));

  // One pass: the search adapter caches results, so a repeated query would time the cache. The
  // mix itself repeats popular prefixes about as often as people do.
  const queries = suggestQueries(catalog, quick ? 3000 : 20_000);
  const warmup = suggestQueries(catalog, 500, 99);
  const suggest = await timeEach(queries, warmup, 1, (q) => search.suggest(q, 10));
  rows.push(
    info(SECTION, `suggest p50 (${queries.length} queries)`, ms(quantile(suggest.all, 0.5))),
  );
  rows.push(atMost(SECTION, "suggest p99", quantile(suggest.all, 0.99), SUGGEST_P99_MS, ms));
  // Throughput follows the mean, which the slow tail pulls well above the median.
  rows.push(info(SECTION, "suggest mean (bounds req/s per core)", ms(mean(suggest.all))));
  rows.push(
    info(
      SECTION,
      "slowest queries (one timing each)",
      slowest(queries, suggest, 3, (q) => `"${q.length > 30 ? `${q.slice(0, 29)}…` : q}"`),
    ),
  );

  const sets = likedSets(catalog, quick ? 200 : 1000);
  for (const strategy of ["default", "neighbours", "reference"] as StrategyName[]) {
    started = performance.now();
    const recommender: Recommender = await createRecommender(catalog, strategy, options.cacheDir);
    rows.push(
      info(
        SECTION,
        `${strategy}: recommender ready`,
        seconds((performance.now() - started) / 1000),
      ),
    );
    const times = await timeEach(sets, likedSets(catalog, 50, 98), PASSES, (liked) =>
      recommender.recommend(liked, 10),
    );
    const label = `${strategy}: recommend`;
    rows.push(
      info(SECTION, `${label} p50 (${sets.length} sets × ${PASSES})`, ms(quantile(times.all, 0.5))),
    );
    rows.push(atMost(SECTION, `${label} p99`, quantile(times.all, 0.99), RECOMMEND_P99_MS, ms));
    rows.push(info(SECTION, `${label} mean`, ms(mean(times.all))));
    rows.push(info(SECTION, `${label} p99, best pass per set`, ms(quantile(times.best, 0.99))));
  }
  return rows;
}
