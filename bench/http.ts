import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Catalog } from "../core/catalog/catalog.ts";
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
import { likedSets, suggestQueries } from "./workload.ts";

export interface HttpOptions {
  catalog: Catalog;
  dataDir: string;
  quick: boolean;
  /** How long a start may take before the section gives up. */
  readyTimeoutMs: number;
}

const SECTION = "HTTP, 50 connections";
const CONNECTIONS = 50;
const P99_MS = 50;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

/** Drives `paths` round-robin over 50 keep-alive connections for `duration` seconds. */
async function load(baseUrl: string, paths: readonly string[], duration: number): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const path = paths[next++ % paths.length] as string;
          return { ...request, path };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

export async function benchHttp(options: HttpOptions): Promise<BenchRow[]> {
  const { catalog, quick } = options;
  const rows: BenchRow[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), "moviebot-bench-cache-"));
  const env = { MOVIELENS_DIR: options.dataDir, CACHE_DIR: cacheDir };
  try {
    // Cold: an empty cache, so the model is trained before /healthz turns 200.
    let since = performance.now();
    const server = await ServerProcess.start(env);
    try {
      const cold = await server.ready(since, options.readyTimeoutMs);
      rows.push(info(SECTION, "time to ready, cold (empty CACHE_DIR)", seconds(cold)));

      const suggestPaths = suggestQueries(catalog, 5000, 11).map(
        (q) => `/api/suggest?q=${encodeURIComponent(q)}&limit=10`,
      );
      const recommendPaths = likedSets(catalog, 2000, 12).map(
        (liked) => `/api/recommend?liked=${liked.join(",")}&limit=10`,
      );
      // A short warm-up per route so the JIT and caches are in the state users meet.
      for (const paths of [["/healthz"], suggestPaths, recommendPaths]) {
        await load(server.baseUrl, paths, 1);
      }
      // Short rounds of the three routes in turn: other work on a shared machine comes and goes,
      // and each round's ratio to /healthz compares figures taken seconds apart. Medians over
      // the rounds are reported.
      const rounds = quick ? 3 : 6;
      const duration = quick ? 2 : 4;
      const healthz: Load[] = [];
      const suggest: Load[] = [];
      const recommend: Load[] = [];
      for (let round = 0; round < rounds; round++) {
        healthz.push(await load(server.baseUrl, ["/healthz"], duration));
        suggest.push(await load(server.baseUrl, suggestPaths, duration));
        recommend.push(await load(server.baseUrl, recommendPaths, duration));
      }
      const median = (values: number[]) => quantile(values, 0.5);
      rows.push(
        info(
          SECTION,
          `/healthz req/s, median of ${rounds} rounds (min–max)`,
          `${median(healthz.map((l) => l.rps)).toFixed(0)} (${Math.min(...healthz.map((l) => l.rps)).toFixed(0)}–${Math.max(...healthz.map((l) => l.rps)).toFixed(0)})`,
        ),
        info(
          SECTION,
          "/healthz p50 | p99",
          `${ms(median(healthz.map((l) => l.p50)))} | ${ms(median(healthz.map((l) => l.p99)))}`,
        ),
      );
      for (const [name, loads, share] of [
        ["/api/suggest", suggest, 0.5],
        ["/api/recommend", recommend, 0.3],
      ] as const) {
        const ratio = median(loads.map((l, i) => l.rps / (healthz[i] as Load).rps));
        rows.push({
          section: SECTION,
          metric: `${name} req/s (share of /healthz)`,
          measured: `${median(loads.map((l) => l.rps)).toFixed(0)} (${(ratio * 100).toFixed(0)}%)`,
          target: `≥ ${share * 100}%`,
          ok: ratio >= share,
        });
        rows.push(info(SECTION, `${name} p50`, ms(median(loads.map((l) => l.p50)))));
        rows.push(atMost(SECTION, `${name} p99`, median(loads.map((l) => l.p99)), P99_MS, ms));
        const failures = loads.reduce((sum, l) => sum + l.failures, 0);
        rows.push({
          section: SECTION,
          metric: `${name} errors, timeouts, non-2xx`,
          measured: String(failures),
          target: "0",
          ok: failures === 0,
        });
      }
      const rss = await peakRss(server.pid);
      rows.push(info(SECTION, "server peak RSS (VmHWM)", rss ? megabytes(rss) : "n/a"));
    } finally {
      await server.stop();
    }

    // Warm: the same cache directory, so the trained model is read back instead.
    since = performance.now();
    const warm = await ServerProcess.start(env);
    try {
      const seconds_ = await warm.ready(since, options.readyTimeoutMs);
      rows.push(info(SECTION, "time to ready, cached model", seconds(seconds_)));
    } finally {
      await warm.stop();
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return rows;
}
