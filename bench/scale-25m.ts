import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { SingleBar } from "cli-progress";
import { generateSynthetic } from "../scripts/synthetic/generate.ts";
import { cacheCounts, hitRate } from "./http-load.ts";
import { memberPath } from "./member-path.ts";
import {
  atMost,
  type BenchRow,
  cpuSeconds,
  info,
  megabytes,
  ms,
  peakRss,
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
  /**
   * Only the server from its snapshot (no CSV load in a child, no forced snapshot build): picks
   * are then drawn from these liked sets (ml-latest-small's ratings; the synthetic set uses
   * ml-25m's movieIds, which include them).
   */
  serverOnly?: number[][];
  /**
   * Liked sets stored as members before a second start (one member per set of 3 or more, as in
   * the HTTP section's member path): ready and peak RSS with members' likes beside the snapshot.
   */
  memberSets: number[][];
}

const SECTION = "25M ratings (synthetic)";
const LOAD_S = 90;
const RECOMMEND_P50_MS = 250;
const PEAK_RSS = 3e9;
// Issue 18: a Cloud Run instance scaled from zero must answer Slack's or Discord's first request
// within 3 s, and fit a 2 GiB instance.
const READY_S = 3;
const SERVER_PEAK_RSS = 1.5e9;
const CONNECTIONS = 10;
const HTTP_P50_MS = 50;
const HTTP_P99_MS = 150;
const ROOT = resolve(import.meta.dirname, "..");

interface ChildFigures {
  ratings: number;
  loadSeconds: number;
  rssAfterLoad?: number;
  recommenderSeconds: number;
  recommendP50: number;
  recommendP99: number;
  recommendCount: number;
  peakRss?: number;
  /** The liked sets the child timed. */
  likedSets: number[][];
  /** Distinct liked sets for the HTTP run. */
  httpSets: number[][];
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
  if (options.serverOnly)
    return [
      ...(await serverAt25m(options, options.serverOnly, false)),
      ...(await serverWithMembers(options)),
    ];
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
  rows.push(...(await serverAt25m(options, figures.httpSets)));
  rows.push(...(await serverWithMembers(options)));
  return rows;
}

/**
 * The real server on the 25M set from its start-up snapshot: `npm run snapshot` first (timed), then
 * a start read from it (process start to /healthz 200), recommend over HTTP at 10 connections with
 * distinct picks (answer cache on, as in production) and a /healthz probe beside it, and the whole
 * server's peak RSS.
 */
async function serverAt25m(
  options: Scale25mOptions,
  sets: readonly number[][],
  buildFirst = true,
): Promise<BenchRow[]> {
  const env = { MOVIELENS_DIR: options.dataDir, CACHE_DIR: options.cacheDir };
  const rows: BenchRow[] = [];
  let since = performance.now();
  if (buildFirst) {
    console.log("Building the start-up snapshot of the 25M set (npm run snapshot) …");
    const build = spawn(process.execPath, [resolve(ROOT, "scripts/build-snapshot.ts")], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const [code] = (await once(build, "exit")) as [number | null];
    if (code !== 0) throw new Error(`npm run snapshot exited with code ${code}`);
    const buildSeconds = (performance.now() - since) / 1000;
    rows.push(info(SECTION, "npm run snapshot (CSV → snapshot file)", seconds(buildSeconds)));
  }

  console.log("Starting the server on the 25M set from its snapshot …");
  since = performance.now();
  const server = await ServerProcess.start(env);
  try {
    const ready = await server.ready(since, options.readyTimeoutMs);
    const readyCpu = await cpuSeconds(server.pid);
    // What the first user meets right after a cold start: a keystroke and a recommendation sent
    // the moment /healthz turns 200, while the threads may still be starting (both from start).
    const first = await Promise.all(
      [`/api/suggest?q=toy%20sto&limit=10`, `/api/recommend?liked=1,2571&limit=10`].map(
        async (p) => {
          const response = await fetch(`${server.baseUrl}${p}`);
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${p} answered ${response.status}`);
          return (performance.now() - since) / 1000;
        },
      ),
    );
    const paths = sets.map((liked) => `/api/recommend?liked=${liked.join(",")}&limit=10`);
    let next = 0;
    const path = () => paths[next++ % paths.length] as string;
    // Warm-up: the JIT, and the threads' first touch of the shared index.
    await autocannon({
      url: server.baseUrl,
      connections: CONNECTIONS,
      amount: 50,
      requests: [{ method: "GET", setupRequest: (r) => ({ ...r, path: path() }) }],
    });
    const duration = options.quick ? 10 : 20;
    const loadBefore = loadavg()[0] as number;
    const countsBefore = await cacheCounts(server.baseUrl);
    const [load, probe] = await Promise.all([
      autocannon({
        url: server.baseUrl,
        connections: CONNECTIONS,
        duration,
        requests: [{ method: "GET", setupRequest: (r) => ({ ...r, path: path() }) }],
      }),
      autocannon({ url: `${server.baseUrl}/healthz`, connections: 1, duration, overallRate: 20 }),
    ]);
    const countsAfter = await cacheCounts(server.baseUrl);
    const failures = load.errors + load.timeouts + load.non2xx;
    const rss = await peakRss(server.pid);
    return [
      ...rows,
      atMost(
        SECTION,
        "server: process start → /healthz 200, from the snapshot",
        ready,
        READY_S,
        seconds,
      ),
      atMost(
        SECTION,
        "server: process start → first suggest answered (sent at ready)",
        first[0] as number,
        READY_S,
        seconds,
      ),
      atMost(
        SECTION,
        "server: process start → first recommend answered (sent at ready)",
        first[1] as number,
        READY_S,
        seconds,
      ),
      info(
        SECTION,
        "server: CPU time to ready (user + system, all threads)",
        readyCpu === undefined ? "n/a" : seconds(readyCpu),
      ),
      info(
        SECTION,
        "load average (1 min) before | after the HTTP run",
        `${loadBefore.toFixed(2)} | ${(loadavg()[0] as number).toFixed(2)}`,
      ),
      info(
        SECTION,
        `server: /api/recommend req/s, ${CONNECTIONS} connections, distinct picks`,
        `${load.requests.average.toFixed(0)} (${paths.length} sets, ${failures} failed)`,
      ),
      info(
        SECTION,
        "server: recommend cache hit rate",
        hitRate(countsBefore, countsAfter, "recommend"),
      ),
      atMost(SECTION, "server: /api/recommend p50", load.latency.p50, HTTP_P50_MS, ms),
      atMost(SECTION, "server: /api/recommend p99", load.latency.p99, HTTP_P99_MS, ms),
      info(SECTION, "server: /healthz p99 during that load", ms(probe.latency.p99)),
      rss
        ? atMost(SECTION, "server: peak RSS (VmHWM)", rss, SERVER_PEAK_RSS, megabytes)
        : info(SECTION, "server: peak RSS", "n/a (no /proc)"),
    ];
  } finally {
    await server.stop();
  }
}

/**
 * A second start from the same snapshot with members stored in its member database: members' likes
 * are folded in after ready, on a thread (docs/bench.md, "Members' likes at start-up"), so ready
 * should not move, and the peak RSS, read once the fold is logged and recommendations have been
 * served, should stay within the target.
 */
async function serverWithMembers(options: Scale25mOptions): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "moviebot-bench-members-"));
  try {
    const members = await memberPath(dataDir, options.memberSets);
    const label = `server, ${members.members} stored members`;
    console.log(`Starting the server on the 25M set with ${members.members} stored members …`);
    const since = performance.now();
    const server = await ServerProcess.start({
      MOVIELENS_DIR: options.dataDir,
      CACHE_DIR: options.cacheDir,
      DATA_DIR: dataDir,
      // The line that says the members' likes are in.
      LOG_LEVEL: "info",
    });
    try {
      const ready = await server.ready(since, options.readyTimeoutMs);
      const folded = await server.logged(
        "members' likes folded into the recommender",
        since,
        options.readyTimeoutMs,
      );
      // Then served as the first section's server was, so the threads' memory is all touched.
      const paths = options.memberSets.map(
        (liked) => `/api/recommend?liked=${liked.join(",")}&limit=10`,
      );
      let next = 0;
      await autocannon({
        url: server.baseUrl,
        connections: CONNECTIONS,
        amount: options.quick ? 500 : 2000,
        requests: [
          {
            method: "GET",
            setupRequest: (r) => ({ ...r, path: paths[next++ % paths.length] as string }),
          },
        ],
      });
      const rss = await peakRss(server.pid);
      return [
        atMost(SECTION, `${label}: process start → /healthz 200`, ready, READY_S, seconds),
        info(SECTION, `${label}: process start → members' refresh logged`, seconds(folded)),
        rss
          ? atMost(SECTION, `${label}: peak RSS (VmHWM)`, rss, SERVER_PEAK_RSS, megabytes)
          : info(SECTION, `${label}: peak RSS`, "n/a (no /proc)"),
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
