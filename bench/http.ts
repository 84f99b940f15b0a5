import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../bot/config.ts";
import type { Catalog } from "../core/catalog/catalog.ts";
import {
  type CacheCounts,
  CONNECTIONS,
  cacheCounts,
  cpuPerRequest,
  type Load,
  load,
  loadOf,
  loadWithProbes,
  Paths,
  PROBE_RATE,
} from "./http-load.ts";
import { memberPath } from "./member-path.ts";
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
import { distinctLikedSets, distinctSuggestQueries } from "./workload.ts";

export interface HttpOptions {
  catalog: Catalog;
  dataDir: string;
  quick: boolean;
  /** How long a start may take before the section gives up. */
  readyTimeoutMs: number;
  /** RECOMMEND_THREADS for the server; its default when undefined. */
  recommendThreads?: string | undefined;
}

const SECTION = "HTTP, 50 connections";
const P99_MS = 50;
const HEALTHZ_UNDER_LOAD_P99_MS = 20;
/** Distinct inputs per route, at the least; the figure. */
const MIN_DISTINCT = 60_000;
/** The fixed rate at which each route's CPU per request is read: well below saturation. */
const CPU_RATE = 1000;

export async function benchHttp(options: HttpOptions): Promise<BenchRow[]> {
  const { catalog, quick } = options;
  const rows: BenchRow[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), "moviebot-bench-cache-"));
  // Members with stored likes, for the member path; the server folds them in at start-up.
  const dataDir = mkdtempSync(join(tmpdir(), "moviebot-bench-data-"));
  const members = await memberPath(dataDir, distinctLikedSets(catalog, 3000, 31));
  const env: Record<string, string> = {
    MOVIELENS_DIR: options.dataDir,
    CACHE_DIR: cacheDir,
    DATA_DIR: dataDir,
    ...members.env,
  };
  if (options.recommendThreads !== undefined) env.RECOMMEND_THREADS = options.recommendThreads;
  // The production cache sizes (the settings' defaults): the workload is at least ten times each.
  const defaults = loadConfig({});
  try {
    // Cold: an empty cache, so the model is trained before /healthz turns 200.
    let since = performance.now();
    const server = await ServerProcess.start(env);
    try {
      const cold = await server.ready(since, options.readyTimeoutMs);
      rows.push(info(SECTION, "time to ready, cold (empty CACHE_DIR)", seconds(cold)));
      rows.push(info(SECTION, "RECOMMEND_THREADS", options.recommendThreads ?? "default (2)"));

      const queries = distinctSuggestQueries(
        catalog,
        Math.max(MIN_DISTINCT, 10 * defaults.SEARCH_CACHE_SIZE),
      );
      const sets = distinctLikedSets(
        catalog,
        Math.max(MIN_DISTINCT, 10 * defaults.RECOMMEND_CACHE_SIZE),
      );
      rows.push(
        info(
          SECTION,
          "workload: distinct inputs (cache size)",
          `suggest ${queries.length} (${defaults.SEARCH_CACHE_SIZE}), recommend ${sets.length} (${defaults.RECOMMEND_CACHE_SIZE})`,
        ),
      );
      const healthzPaths = new Paths(["/healthz"]);
      const suggestPaths = new Paths(
        queries.map((q) => `/api/suggest?q=${encodeURIComponent(q)}&limit=10`),
      );
      const recommendPaths = new Paths(
        sets.map((liked) => `/api/recommend?liked=${liked.join(",")}&limit=10`),
      );
      // The probes' own inputs: a different slice of the same mix, so they are no cache hits either.
      const probes = {
        healthz: healthzPaths,
        suggest: new Paths(
          distinctSuggestQueries(catalog, 20_000, 99).map(
            (q) => `/api/suggest?q=${encodeURIComponent(q)}&limit=10`,
          ),
        ),
      };
      // A short warm-up per route so the JIT is in the state users meet.
      for (const paths of [healthzPaths, suggestPaths, recommendPaths]) {
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
      const duringSuggest: Load[] = [];
      const duringRecommend: { healthz: Load; suggest: Load }[] = [];
      const member: Load[] = [];
      const load1 = loadavg()[0] as number;
      // Each route's own lookups: the counters are read around each of its loads.
      const lookups = {
        suggest: { hits: 0, total: 0 },
        recommend: { hits: 0, total: 0 },
        member: { hits: 0, total: 0 },
      };
      const counted = async <T>(
        route: keyof typeof lookups,
        cache: keyof CacheCounts,
        run: () => Promise<T>,
      ) => {
        const before = await cacheCounts(server.baseUrl);
        const result = await run();
        const after = await cacheCounts(server.baseUrl);
        const hits = after[cache].hits - before[cache].hits;
        lookups[route].hits += hits;
        lookups[route].total += hits + after[cache].misses - before[cache].misses;
        return result;
      };
      for (let round = 0; round < rounds; round++) {
        healthz.push(await load(server.baseUrl, healthzPaths, duration));
        const s = await counted("suggest", "search", () =>
          loadWithProbes(server.baseUrl, suggestPaths, probes, duration),
        );
        suggest.push(s.load);
        duringSuggest.push(s.healthz);
        const r = await counted("recommend", "recommend", () =>
          loadWithProbes(server.baseUrl, recommendPaths, probes, duration),
        );
        recommend.push(r.load);
        duringRecommend.push({ healthz: r.healthz, suggest: r.suggest });
        const m = await counted("member", "recommend", () =>
          members.load(server.baseUrl, duration, CONNECTIONS),
        );
        member.push(loadOf(m, duration));
      }
      const load2 = loadavg()[0] as number;
      const median = (values: number[]) => quantile(values, 0.5);
      rows.push(
        info(
          SECTION,
          "load average (1 min) before | after",
          `${load1.toFixed(2)} | ${load2.toFixed(2)}`,
        ),
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
      for (const [name, loads, share, cache] of [
        ["/api/suggest", suggest, 0.5, "suggest"],
        ["/api/recommend", recommend, 0.3, "recommend"],
        [
          `member path (Discord /recommend, ${members.members} stored profiles)`,
          member,
          0.3,
          "member",
        ],
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
        const { hits, total } = lookups[cache];
        rows.push(
          info(
            SECTION,
            `${name} answer-cache hit rate`,
            total === 0 ? "n/a" : `${((hits / total) * 100).toFixed(1)}% of ${total}`,
          ),
        );
        const failures = loads.reduce((sum, l) => sum + l.failures, 0);
        rows.push({
          section: SECTION,
          metric: `${name} errors, timeouts, non-2xx`,
          measured: String(failures),
          target: "0",
          ok: failures === 0,
        });
      }
      const p99 = (loads: Load[]) => median(loads.map((l) => l.p99));
      rows.push(
        atMost(
          SECTION,
          `/healthz p99 during /api/recommend load (${PROBE_RATE} req/s probe)`,
          p99(duringRecommend.map((d) => d.healthz)),
          HEALTHZ_UNDER_LOAD_P99_MS,
          ms,
        ),
        atMost(
          SECTION,
          `/api/suggest p99 during /api/recommend load (${PROBE_RATE} req/s probe)`,
          p99(duringRecommend.map((d) => d.suggest)),
          P99_MS,
          ms,
        ),
        atMost(
          SECTION,
          `/healthz p99 during /api/suggest load (${PROBE_RATE} req/s probe)`,
          p99(duringSuggest),
          HEALTHZ_UNDER_LOAD_P99_MS,
          ms,
        ),
      );
      // What each route costs in CPU, the reason behind its share: one more short load per route
      // at a fixed rate, the inputs still distinct (the same walks go on).
      const cpuSeconds = quick ? 3 : 6;
      const atRate = async (paths: Paths) => {
        const l = await load(server.baseUrl, paths, cpuSeconds, { rate: CPU_RATE });
        return { requests: l.requests };
      };
      for (const [name, run] of [
        ["/healthz", () => atRate(healthzPaths)],
        ["/api/suggest", () => atRate(suggestPaths)],
        ["/api/recommend", () => atRate(recommendPaths)],
        [
          "member path",
          async () => {
            const result = await members.load(server.baseUrl, cpuSeconds, CONNECTIONS, CPU_RATE);
            return { requests: result.requests.total };
          },
        ],
      ] as const) {
        const cpu = await cpuPerRequest(server.pid, run);
        rows.push(
          info(
            SECTION,
            `${name} CPU per request at ${CPU_RATE} req/s: server event loop | all server threads | load generator`,
            cpu
              ? `${cpu.eventLoop.toFixed(0)} | ${cpu.server.toFixed(0)} | ${cpu.generator.toFixed(0)} µs`
              : "n/a (no /proc)",
          ),
        );
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
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
