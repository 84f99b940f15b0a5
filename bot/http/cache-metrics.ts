import { Counter, type Registry } from "prom-client";
import type { CacheStats } from "../builders/core-builder.ts";

/**
 * `moviebot_cache_lookups_total{cache, result}`: the answer caches' hits and misses since start,
 * read when /metrics is scraped (the caches count in plain numbers; the core knows no prom-client).
 */
export function registerCacheMetrics(registry: Registry, stats: CacheStats): void {
  new Counter({
    name: "moviebot_cache_lookups_total",
    help: "Answer-cache look-ups since start, by cache (search, recommend) and result (hit, miss)",
    labelNames: ["cache", "result"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const cache of ["search", "recommend"] as const) {
        const counts = stats[cache];
        if (!counts) continue;
        this.inc({ cache, result: "hit" }, counts.hits);
        this.inc({ cache, result: "miss" }, counts.misses);
      }
    },
  });
}
