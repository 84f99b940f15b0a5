// `npm run bench [-- --quick] [-- --only inprocess|http|25m] [-- --skip-25m]`: latency, throughput,
// memory and start-up figures beside the figures to reach. Not a test: the machine is shared, so
// it reports medians and p99 over many runs and HTTP throughput as ratios within one run.
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { loadMovieLens } from "../core/adapters/movielens/load-movielens.ts";
import { benchHttp } from "./http.ts";
import { benchInProcess } from "./inprocess.ts";
import { benchQueue } from "./queue.ts";
import { type BenchRow, renderTable } from "./report.ts";
import { benchScale25m } from "./scale-25m.ts";
import { distinctLikedSets } from "./workload.ts";

type Section = "inprocess" | "http" | "queue" | "25m";

const opts = new Command()
  .name("bench")
  .option("--quick", "fewer iterations and shorter HTTP runs")
  .addOption(
    new Option("--only <section>", "run one section").choices([
      "inprocess",
      "http",
      "queue",
      "25m",
    ]),
  )
  .option("--skip-25m", "skip the 25M-ratings section (minutes, ~700 MB of disk)")
  .option(
    "--25m-server-only",
    "25M section: only the server started from its snapshot (no CSV load, no forced rebuild)",
  )
  .option("--data <dir>", "ml-latest-small directory (default: data/ or the shared test copy)")
  .option("--synthetic <dir>", "synthetic 25M dataset directory", ".cache/synthetic-25m")
  .option("--cache-dir <dir>", "model cache for the in-process and 25M sections", ".cache/bench")
  .option(
    "--recommend-threads <n>",
    "RECOMMEND_THREADS for the HTTP section's server (0: recommendations on the event loop)",
  )
  .option("--redis-url <url>", "Redis for the queue section", "redis://127.0.0.1:6379")
  .option("--ready-timeout <seconds>", "longest wait for the server's /healthz to turn 200", "600")
  .parse()
  .opts<{
    quick?: boolean;
    only?: Section;
    skip25m?: boolean;
    "25mServerOnly"?: boolean;
    data?: string;
    synthetic: string;
    cacheDir: string;
    readyTimeout: string;
    redisUrl: string;
    recommendThreads?: string;
  }>();

// The shared test data sits beside the clone (../shared/data); a git worktree sits one level deeper.
const sharedData = ["../shared/data", "../../shared/data"]
  .map((p) => resolve(p))
  .find((p) => existsSync(p));
const dataDir = resolve(
  opts.data ??
    [resolve("data/ml-latest-small"), sharedData && resolve(sharedData, "ml-latest-small")].find(
      (p) => p && existsSync(p),
    ) ??
    "data/ml-latest-small",
);
const quick = opts.quick === true;
const wanted = (section: Section) => !opts.only || opts.only === section;

console.log(
  `moviebot bench — ${cpus().length} cores, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}, Node ${process.version}${quick ? ", quick" : ""}`,
);
console.log(`ml-latest-small: ${dataDir}`);

const rows: BenchRow[] = [];
async function section(name: string, run: () => Promise<BenchRow[]>): Promise<void> {
  console.log(`▶ ${name}`);
  try {
    rows.push(...(await run()));
  } catch (error) {
    // One section failing (say, no synthetic data room) should not hide the others' figures.
    rows.push({ section: name, metric: "failed", measured: (error as Error).message, target: "" });
  }
}

if ((wanted("inprocess") || wanted("http")) && !existsSync(dataDir)) {
  console.error(
    `No ml-latest-small at ${dataDir}: pass --data DIR, or run \`npm start\` once to download it.`,
  );
  process.exit(2);
}
if (wanted("inprocess") || wanted("http")) {
  const catalog = await loadMovieLens(dataDir);
  if (wanted("inprocess")) {
    await section("in-process", () =>
      benchInProcess({ catalog, cacheDir: resolve(opts.cacheDir), quick }),
    );
  }
  if (wanted("http"))
    await section("HTTP", () =>
      benchHttp({
        catalog,
        dataDir,
        quick,
        readyTimeoutMs: Number(opts.readyTimeout) * 1000,
        recommendThreads: opts.recommendThreads,
      }),
    );
}
if (wanted("queue")) {
  // BullMQ needs a Redis; the bench uses the machine's default one unless told otherwise.
  const redisUrl = opts.redisUrl;
  await section("queue", () => benchQueue({ redisUrl, quick }));
}
if (wanted("25m")) {
  if (opts.skip25m) {
    rows.push({ section: "25M ratings", metric: "skipped (--skip-25m)", measured: "", target: "" });
  } else {
    const moviesFile = resolve(sharedData ?? dirname(dataDir), "ml-25m-movies.csv");
    // ml-latest-small's ratings give the picks and the stored members (the synthetic set uses
    // ml-25m's movieIds, which include them): the HTTP section's members, at 25M.
    const small = await loadMovieLens(dataDir);
    const serverOnly = opts["25mServerOnly"] ? distinctLikedSets(small, 20_000, 25) : undefined;
    await section("25M ratings", () =>
      benchScale25m({
        dataDir: resolve(opts.synthetic),
        moviesFile,
        linksFile: resolve(dataDir, "links.csv"),
        popularityFile: resolve(dataDir, "ratings.csv"),
        cacheDir: resolve(opts.cacheDir, "25m"),
        quick,
        readyTimeoutMs: Number(opts.readyTimeout) * 1000,
        memberSets: distinctLikedSets(small, 3000, 31),
        ...(serverOnly ? { serverOnly } : {}),
      }),
    );
  }
}

console.log(renderTable(rows));
const misses = rows.filter((r) => r.ok === false).length;
console.log(misses === 0 ? "Every target met." : `${misses} target(s) missed.`);
