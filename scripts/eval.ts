/**
 * `npm run eval [-- --data DIR] [-- --seeds 42,1,2,3]`: the recommendation-quality table (issue 2,
 * item 9). Every model is trained on the 80% training users only; held-out users never reach
 * training. With several seeds the table shows means and each seed's Recall@10, so a method is not
 * judged on one lucky split of ~120 users.
 */
import { resolve } from "node:path";
import Table from "cli-table3";
import { Command } from "commander";
import { loadConfig } from "../bot/config.ts";
import { loadMovieLens } from "../core/adapters/movielens/load-movielens.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import {
  type EvalCase,
  type Metrics,
  scoreRankings,
  splitForEval,
} from "../core/recommend/evaluation.ts";
import { LocalRecommender, type ServeOptions } from "../core/recommend/local-recommender.ts";
import { RatingIndex } from "../core/recommend/rating-index.ts";
import { trainWals } from "../core/recommend/wals-trainer.ts";

const AT = 10;
const config = loadConfig();
const program = new Command()
  .name("eval")
  .description("Recall@10, NDCG@10 and HitRate@10 of each recommendation method")
  .option("--data <dir>", "MovieLens folder", config.MOVIELENS_DIR ?? "./data/ml-latest-small")
  .option("--seeds <list>", "comma-separated split and training seeds", "42")
  .parse();
const opts = program.opts<{ data: string; seeds: string }>();
const seeds = opts.seeds.split(",").map((s) => Number(s.trim()));
if (seeds.some((s) => !Number.isInteger(s))) program.error("--seeds takes integers: 42,1,2");

const training = {
  factors: config.MF_FACTORS,
  alpha: config.MF_ALPHA,
  lambda: config.MF_LAMBDA,
  iterations: config.MF_ITERATIONS,
};
const serve: ServeOptions = {
  strategy: "reference",
  k: config.RECOMMENDER_K,
  neighbours: config.RECOMMENDER_NEIGHBOURS,
};
const methods: { name: string; options: ServeOptions; cold?: boolean; usesModel: boolean }[] = [
  { name: "Popular (damped mean)", options: serve, cold: true, usesModel: false },
  ...[3, 10, 30].map((k) => ({
    name: `Reference, k = ${k}`,
    options: { ...serve, k },
    usesModel: true,
  })),
  {
    name: `Default (neighbours ${serve.neighbours} + co-watched)`,
    options: { ...serve, strategy: "default" as const },
    usesModel: false,
  },
];

async function rankAll(
  recommender: LocalRecommender,
  cases: readonly EvalCase[],
  cold: boolean,
): Promise<number[][]> {
  const rankings: number[][] = [];
  for (const c of cases) {
    // The popular list knows nothing of the input, so ask for extra and drop the input ourselves.
    const result = cold
      ? await recommender.popular(AT + c.input.length)
      : await recommender.recommend(c.input, AT);
    rankings.push(
      result.items
        .map((i) => i.movieId)
        .filter((id) => !c.input.includes(id))
        .slice(0, AT),
    );
  }
  return rankings;
}

interface Run {
  metrics: Metrics[];
  buildSeconds: number[];
}

async function evaluateSeed(catalog: Catalog, seed: number, runs: Run[]): Promise<string> {
  const { train, cases } = splitForEval(catalog, { seed });
  let started = performance.now();
  const model = await trainWals(new RatingIndex(train.ratings), { ...training, seed });
  const trainSeconds = (performance.now() - started) / 1000;
  for (const [i, method] of methods.entries()) {
    started = performance.now();
    const recommender = LocalRecommender.fromModel(train, model, method.options);
    const own = (performance.now() - started) / 1000;
    const metrics = scoreRankings(cases, await rankAll(recommender, cases, !!method.cold), AT);
    const run = runs[i] as Run;
    run.metrics.push(metrics);
    run.buildSeconds.push(own + (method.usesModel ? trainSeconds : 0));
  }
  return (
    `seed ${seed}: ${train.ratings.length} training ratings, ${cases.length} held-out users ` +
    `with >= 8 liked movies; WALS trained in ${trainSeconds.toFixed(2)} s`
  );
}

const catalog = await loadMovieLens(resolve(opts.data)).catch((error: unknown) =>
  program.error(`Cannot read MovieLens data: ${error instanceof Error ? error.message : error}`),
);
const runs: Run[] = methods.map(() => ({ metrics: [], buildSeconds: [] }));
const notes: string[] = [];
for (const seed of seeds) notes.push(await evaluateSeed(catalog, seed, runs));

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const head = ["Method", `Recall@${AT}`, `NDCG@${AT}`, `HitRate@${AT}`, "Build (s)"];
if (seeds.length > 1) head.push(`Recall@${AT} by seed (${seeds.join(", ")})`);
const table = new Table({ head, colAligns: ["left", "right", "right", "right", "right", "left"] });
for (const [i, method] of methods.entries()) {
  const { metrics, buildSeconds } = runs[i] as Run;
  const row = [
    method.name,
    mean(metrics.map((m) => m.recall)).toFixed(3),
    mean(metrics.map((m) => m.ndcg)).toFixed(3),
    mean(metrics.map((m) => m.hitRate)).toFixed(3),
    mean(buildSeconds).toFixed(2),
  ];
  if (seeds.length > 1) row.push(metrics.map((m) => m.recall.toFixed(3)).join("  "));
  table.push(row);
}
console.log(`${opts.data}: ${catalog.ratings.length} ratings.`);
for (const note of notes) console.log(note);
console.log(
  `WALS: ${training.factors} factors, alpha ${training.alpha}, lambda ${training.lambda}, ` +
    `${training.iterations} iterations.`,
);
console.log(table.toString());
console.log(
  `Recall@${AT} = hits in the top ${AT} / min(${AT}, |truth|); NDCG@${AT} with binary gains; ` +
    `HitRate@${AT} = share of users with at least one hit. Input: 3 random liked movies of each ` +
    "held-out user; truth: the rest of their liked movies (rating_im >= 0.8). Build = WALS " +
    "training (reference rows; one model per seed, shared) plus the strategy's own setup; the " +
    "default strategy needs no trained model.",
);
