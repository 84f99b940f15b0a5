// The HTTP section's load generation and cache counters (bench/http.ts).
import autocannon from "autocannon";

/** Connections of every route's load, as the figures were measured. */
export const CONNECTIONS = 50;
/** Requests/s of each probe that runs beside a loaded route: light enough not to be the load. */
export const PROBE_RATE = 20;

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** Requests answered. */
  requests: number;
}

/** The paths of one route, walked in turn across every round so no input repeats early. */
export class Paths {
  private next = 0;
  private readonly paths: readonly string[];
  constructor(paths: readonly string[]) {
    this.paths = paths;
  }
  take(): string {
    return this.paths[this.next++ % this.paths.length] as string;
  }
}

/**
 * CPU ticks (1/100 s, user + system) of each thread of a process, by thread id, from Linux's
 * /proc; undefined elsewhere.
 */
export async function threadTicks(pid: number): Promise<Map<number, number> | undefined> {
  const { readdir, readFile } = await import("node:fs/promises");
  try {
    const ticks = new Map<number, number>();
    for (const tid of await readdir(`/proc/${pid}/task`)) {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8").catch(() => "");
      if (!stat) continue; // a thread that ended meanwhile
      // Fields after the command name (which may hold spaces) start at its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    }
    return ticks;
  } catch {
    return undefined;
  }
}

export interface CpuPerRequest {
  /** The server's event loop (its main thread), µs per request. */
  eventLoop: number;
  /** Every thread of the server (search and recommend threads, GC, libuv), µs per request. */
  server: number;
  /** This process, where autocannon runs: the load generator's own share of the machine. */
  generator: number;
}

/**
 * What one request costs in CPU, not how fast it comes back: `run` drives a fixed rate below what
 * saturates the machine, and the server's threads' CPU time and this process's are read around
 * it. On two shared cores the req/s of each route is bound by these costs added up, whichever
 * thread they fall on; they explain a share of /healthz that wall-clock figures only show.
 */
export async function cpuPerRequest(
  pid: number,
  run: () => Promise<{ requests: number }>,
): Promise<CpuPerRequest | undefined> {
  const before = await threadTicks(pid);
  const generatorBefore = process.cpuUsage();
  const { requests } = await run();
  const generator = process.cpuUsage(generatorBefore);
  const after = await threadTicks(pid);
  if (!before || !after || requests === 0) return undefined;
  let server = 0;
  for (const [tid, ticks] of after) server += ticks - (before.get(tid) ?? 0);
  const tickUs = 10_000;
  return {
    eventLoop: (((after.get(pid) ?? 0) - (before.get(pid) ?? 0)) * tickUs) / requests,
    server: (server * tickUs) / requests,
    generator: (generator.user + generator.system) / requests,
  };
}

/** Drives `paths` over `connections` keep-alive connections for `duration` seconds. */
export async function load(
  baseUrl: string,
  paths: Paths,
  duration: number,
  options: { connections?: number; rate?: number } = {},
): Promise<Load> {
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections ?? CONNECTIONS,
    duration,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: paths.take() }) }],
  });
  return loadOf(result, duration);
}

export function loadOf(result: autocannon.Result, duration: number): Load {
  // A probe that got no answer at all within the round waited the whole round at least.
  const answered = result.requests.total > 0;
  return {
    rps: result.requests.average,
    p50: answered ? result.latency.p50 : duration * 1000,
    p99: answered ? result.latency.p99 : duration * 1000,
    failures: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** A route's load with light probes of /healthz and autocomplete beside it: what others meet. */
export async function loadWithProbes(
  baseUrl: string,
  paths: Paths,
  probes: { healthz: Paths; suggest: Paths },
  duration: number,
): Promise<{ load: Load; healthz: Load; suggest: Load }> {
  const probe = (p: Paths) => load(baseUrl, p, duration, { connections: 1, rate: PROBE_RATE });
  const [main, healthz, suggest] = await Promise.all([
    load(baseUrl, paths, duration),
    probe(probes.healthz),
    probe(probes.suggest),
  ]);
  return { load: main, healthz, suggest };
}

export type CacheCounts = Record<"search" | "recommend", { hits: number; misses: number }>;

/** The server's answer-cache counters, from /metrics. */
export async function cacheCounts(baseUrl: string): Promise<CacheCounts> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const counts: CacheCounts = {
    search: { hits: 0, misses: 0 },
    recommend: { hits: 0, misses: 0 },
  };
  const line =
    /^moviebot_cache_lookups_total\{cache="(search|recommend)",result="(hit|miss)"\} (\d+)/gm;
  for (const m of text.matchAll(line)) {
    const cache = counts[m[1] as keyof CacheCounts];
    if (m[2] === "hit") cache.hits = Number(m[3]);
    else cache.misses = Number(m[3]);
  }
  return counts;
}

export function hitRate(before: CacheCounts, after: CacheCounts, cache: keyof CacheCounts): string {
  const hits = after[cache].hits - before[cache].hits;
  const misses = after[cache].misses - before[cache].misses;
  const total = hits + misses;
  return total === 0 ? "n/a" : `${((hits / total) * 100).toFixed(1)}% of ${total}`;
}
