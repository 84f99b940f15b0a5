// Runs in its own process so its peak RSS (VmHWM) is the 25M catalog's and recommender's alone.
// argv: dataDir cacheDir recommendCount; prints one JSON line.
import { loadMovieLens } from "../core/adapters/movielens/load-movielens.ts";
import { createRecommender } from "./adapters.ts";
import { peakRss, quantile } from "./report.ts";
import { distinctLikedSets, likedSets } from "./workload.ts";

const [dataDir, cacheDir, countText] = process.argv.slice(2) as [string, string, string];
let started = performance.now();
const catalog = await loadMovieLens(dataDir);
const loadSeconds = (performance.now() - started) / 1000;
const rssAfterLoad = await peakRss("self");
// Progress goes to stderr, which the bench passes through; stdout carries the figures only.
console.error(`  loaded ${catalog.ratings.length} ratings in ${loadSeconds.toFixed(1)} s`);

started = performance.now();
let lastPhase = "";
const recommender = await createRecommender(catalog, "default", cacheDir, (event) => {
  const line = JSON.stringify(event);
  if (event.phase !== lastPhase || event.phase === "train") console.error(`  recommender: ${line}`);
  lastPhase = event.phase;
});
const recommenderSeconds = (performance.now() - started) / 1000;

const times: number[] = [];
const sets = likedSets(catalog, Number(countText) + 5, 3);
for (const [i, liked] of sets.entries()) {
  const start = performance.now();
  await recommender.recommend(liked, 10);
  // The first few warm the JIT.
  if (i >= 5) times.push(performance.now() - start);
}
console.log(
  JSON.stringify({
    ratings: catalog.ratings.length,
    loadSeconds,
    rssAfterLoad,
    recommenderSeconds,
    recommendP50: quantile(times, 0.5),
    recommendP99: quantile(times, 0.99),
    recommendCount: times.length,
    peakRss: await peakRss("self"),
    likedSets: sets.slice(5),
    // The HTTP run's inputs: distinct picks drawn from the ratings, more than the answer cache holds.
    httpSets: distinctLikedSets(catalog, 20_000, 25),
  }),
);
