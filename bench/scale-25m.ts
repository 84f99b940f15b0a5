import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SingleBar } from "cli-progress";
import { generateSynthetic } from "../scripts/synthetic/generate.ts";
import {
  atMost,
  type BenchRow,
  info,
  megabytes,
  ms,
  peakRss,
  quantile,
  seconds,
} from "./report.ts";
import { ServerProcess } from "./server-process.ts";

export interface Scale25mOptions {
  dataDir: string;
  moviesFile: string;
  linksFile: string;
  popularityFile: string;
  cacheDir: string;
  quick: boolean;
  readyTimeoutMs: number;
}

const SECTION = "25M ratings (synthetic)";
const LOAD_S = 90;
const RECOMMEND_P50_MS = 250;
const PEAK_RSS = 3e9;

interface ChildFigures {
  ratings: number;
  loadSeconds: number;
  rssAfterLoad?: number;
  recommenderSeconds: number;
  recommendP50: number;
  recommendP99: number;
  recommendCount: number;
  peakRss?: number;
  /** The liked sets the child timed, replayed over HTTP. */
  likedSets: number[][];
}

/** Generates the synthetic set when missing: ~30 s and ~700 MB of disk. */
async function ensureDataset(options: Scale25mOptions): Promise<void> {
  if (existsSync(join(options.dataDir, "ratings.csv"))) return;
  console.log(`Generating the synthetic 25M dataset in ${options.dataDir} …`);
  const bar = new SingleBar({ format: "ratings {bar} {percentage}% | eta {eta}s" });
  let begun = false;
  await generateSynthetic({
    outDir: options.dataDir,
    moviesFile: options.moviesFile,
    linksFile: options.linksFile,
    popularityFile: options.popularityFile,
    scale: 1,
    seed: 25,
    onProgress: (written, total) => {
      if (!begun) bar.start(total, 0);
      begun = true;
      bar.update(written);
    },
  });
  bar.stop();
}

export async function benchScale25m(options: Scale25mOptions): Promise<BenchRow[]> {
  await ensureDataset(options);
  console.log("Loading 25M ratings and building the recommender (minutes) …");
  const child = spawn(
    process.execPath,
    [
      resolve(import.meta.dirname, "scale-25m-child.ts"),
      options.dataDir,
      options.cacheDir,
      String(options.quick ? 20 : 100),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the 25M run exited with code ${code}`);
  const figures = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ChildFigures;
  const rows: BenchRow[] = [
    info(SECTION, "ratings loaded", figures.ratings.toLocaleString("en")),
    atMost(SECTION, "load (CSV → Catalog)", figures.loadSeconds, LOAD_S, seconds),
    info(
      SECTION,
      "peak RSS after load",
      figures.rssAfterLoad ? megabytes(figures.rssAfterLoad) : "n/a",
    ),
    info(SECTION, "recommender ready (train or cached model)", seconds(figures.recommenderSeconds)),
    atMost(
      SECTION,
      `recommend p50 (${figures.recommendCount} sets)`,
      figures.recommendP50,
      RECOMMEND_P50_MS,
      ms,
    ),
    info(SECTION, "recommend p99", ms(figures.recommendP99)),
  ];
  rows.push(
    figures.peakRss
      ? atMost(SECTION, "peak RSS (catalog + recommender)", figures.peakRss, PEAK_RSS, megabytes)
      : info(SECTION, "peak RSS", "n/a (no /proc)"),
  );
  rows.push(...(await serverAt25m(options, figures.likedSets)));
  return rows;
}

/**
 * The real server on the 25M set, with the model the child just cached: start-up time, recommend
 * over HTTP one request at a time, and the whole server's peak RSS (search index included).
 */
async function serverAt25m(
  options: Scale25mOptions,
  sets: readonly number[][],
): Promise<BenchRow[]> {
  console.log("Starting the server on the 25M set (cached model) …");
  const since = performance.now();
  const server = await ServerProcess.start({
    MOVIELENS_DIR: options.dataDir,
    CACHE_DIR: options.cacheDir,
  });
  try {
    const ready = await server.ready(since, options.readyTimeoutMs);
    const times: number[] = [];
    for (const liked of sets) {
      const start = performance.now();
      const response = await fetch(
        `${server.baseUrl}/api/recommend?liked=${liked.join(",")}&limit=10`,
      );
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`/api/recommend answered ${response.status}`);
      times.push(performance.now() - start);
    }
    const rss = await peakRss(server.pid);
    return [
      info(SECTION, "server: time to ready, cached model", seconds(ready)),
      info(
        SECTION,
        `server: /api/recommend p50, one at a time (${times.length})`,
        ms(quantile(times, 0.5)),
      ),
      rss
        ? atMost(SECTION, "server: peak RSS (VmHWM)", rss, PEAK_RSS, megabytes)
        : info(SECTION, "server: peak RSS", "n/a (no /proc)"),
    ];
  } finally {
    await server.stop();
  }
}
