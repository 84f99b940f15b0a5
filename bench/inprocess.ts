import type { Catalog } from "../core/catalog/catalog.ts";
import type { Recommender } from "../core/recommend/recommender.ts";
import type { MovieSearch } from "../core/search/movie-search.ts";
import { createRecommender, createSearch, type StrategyName } from "./adapters.ts";
import { atMost, type BenchRow, info, ms, quantile, seconds } from "./report.ts";
import { likedSets, suggestQueries } from "./workload.ts";

export interface InProcessOptions {
  catalog: Catalog;
  cacheDir: string;
  quick: boolean;
}

const SUGGEST_P99_MS = 2;
const RECOMMEND_P99_MS = 20;
const SECTION = "in-process (ml-latest-small)";

/** Times each call on its own; the first calls warm the JIT and are not counted. */
async function timeEach<T>(
  inputs: readonly T[],
  warmup: number,
  call: (input: T) => Promise<unknown>,
) {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) await call(inputs[i] as T);
  const times: number[] = [];
  for (const input of inputs) {
    const start = performance.now();
    await call(input);
    times.push(performance.now() - start);
  }
  return times;
}

export async function benchInProcess(options: InProcessOptions): Promise<BenchRow[]> {
  const { catalog, quick } = options;
  const rows: BenchRow[] = [];
  let started = performance.now();
  const search: MovieSearch = await createSearch(catalog);
  rows.push(info(SECTION, "search index build", seconds((performance.now() - started) / 1000)));

  const queries = suggestQueries(catalog, quick ? 2000 : 20_000);
  const suggestTimes = await timeEach(queries, 500, (q) => search.suggest(q, 10));
  rows.push(
    info(SECTION, `suggest p50 (${queries.length} queries)`, ms(quantile(suggestTimes, 0.5))),
  );
  rows.push(atMost(SECTION, "suggest p99", quantile(suggestTimes, 0.99), SUGGEST_P99_MS, ms));

  const sets = likedSets(catalog, quick ? 200 : 2000);
  for (const strategy of ["default", "reference"] as StrategyName[]) {
    started = performance.now();
    const recommender: Recommender = await createRecommender(catalog, strategy, options.cacheDir);
    rows.push(
      info(
        SECTION,
        `${strategy}: recommender ready`,
        seconds((performance.now() - started) / 1000),
      ),
    );
    const times = await timeEach(sets, 50, (liked) => recommender.recommend(liked, 10));
    rows.push(
      info(SECTION, `${strategy}: recommend p50 (${sets.length} sets)`, ms(quantile(times, 0.5))),
    );
    rows.push(
      atMost(SECTION, `${strategy}: recommend p99`, quantile(times, 0.99), RECOMMEND_P99_MS, ms),
    );
  }
  return rows;
}
