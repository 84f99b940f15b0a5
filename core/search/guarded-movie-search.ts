import { LRUCache } from "lru-cache";
import { MoviebotError } from "../errors.ts";
import { suggestionKey } from "./caching-movie-search.ts";
import type { MovieSearch, Suggestion, SuggestOptions } from "./movie-search.ts";

/** Why an answer came from the fallback rather than the primary. */
export type FallbackReason = "timeout" | "error" | "circuit_open";

export interface GuardedMovieSearchOptions {
  /** The preferred backend (e.g. Elasticsearch). */
  primary: MovieSearch;
  /** Answers when the primary cannot: the embedded index, in process and fast. */
  fallback: MovieSearch;
  /** Time the primary gets per call before the fallback answers instead. */
  budgetMs: number;
  /** Recent primary answers kept (key: folded query and limit). */
  cacheSize: number;
  cacheTtlMs: number;
  /** Consecutive primary failures that open the circuit (default 3). */
  failureThreshold?: number;
  /** While the circuit is open the primary is not called at all (default 30 s). */
  cooldownMs?: number;
  /** Told of every fallback; core has no logger, so the composition root logs here. */
  onFallback?: (reason: FallbackReason, error?: unknown) => void;
  /** Time source for the cache and the circuit; tests pass a fake. */
  clock?: { now(): number };
}

/**
 * Autocomplete menus must answer Slack and Discord within 3 s whatever the search backend does.
 * This MovieSearch gives the primary a hard time budget (its signal is aborted when the budget is
 * spent), caches its answers briefly, and answers from the fallback when the primary is slow,
 * fails, or has failed repeatedly just before (a circuit breaker, so a dead backend does not cost
 * every keystroke a full budget).
 */
export class GuardedMovieSearch implements MovieSearch {
  private readonly options: GuardedMovieSearchOptions;
  private readonly cache: LRUCache<string, Suggestion[]>;
  private readonly clock: { now(): number };
  private failures = 0;
  private openUntil = 0;

  constructor(options: GuardedMovieSearchOptions) {
    this.options = options;
    this.clock = options.clock ?? performance;
    this.cache = new LRUCache<string, Suggestion[]>({
      max: Math.max(1, options.cacheSize),
      ttl: Math.max(1, options.cacheTtlMs),
      perf: this.clock,
    });
  }

  async suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    const { signal } = options;
    signal?.throwIfAborted();
    const key = suggestionKey(query, limit);
    const cached = this.cache.get(key);
    if (cached) return cached.map((s) => ({ ...s }));

    if (this.clock.now() < this.openUntil) {
      return this.fallback(query, limit, signal, "circuit_open");
    }
    try {
      const results = await this.askPrimary(query, limit, signal);
      this.failures = 0;
      this.cache.set(key, results);
      return results.map((s) => ({ ...s }));
    } catch (error) {
      // The caller gave up (its own deadline, a closed connection): nobody waits for a fallback.
      if (signal?.aborted) throw signal.reason;
      this.failures++;
      const threshold = this.options.failureThreshold ?? 3;
      if (this.failures >= threshold) {
        this.openUntil = this.clock.now() + (this.options.cooldownMs ?? 30_000);
      }
      const reason = isTimeout(error) ? "timeout" : "error";
      return this.fallback(query, limit, signal, reason, error);
    }
  }

  private async askPrimary(
    query: string,
    limit: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<Suggestion[]> {
    const { budgetMs } = this.options;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new MoviebotError("backend_timeout", `Search took longer than ${budgetMs} ms`),
      );
    }, budgetMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    const { signal } = controller;
    let onAbort = () => {};
    try {
      const answer = this.options.primary.suggest(query, limit, { signal });
      // A primary that ignores its signal may still settle later; nobody is listening then.
      answer.catch(() => {});
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      });
      return await Promise.race([answer, aborted]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  }

  private async fallback(
    query: string,
    limit: number,
    signal: AbortSignal | undefined,
    reason: FallbackReason,
    error?: unknown,
  ): Promise<Suggestion[]> {
    this.options.onFallback?.(reason, error);
    try {
      return await this.options.fallback.suggest(query, limit, signal ? { signal } : {});
    } catch (fallbackError) {
      if (signal?.aborted) throw signal.reason;
      throw new MoviebotError("backend_unavailable", "Movie search is unavailable right now.", {
        cause: fallbackError,
      });
    }
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof MoviebotError && error.code === "backend_timeout";
}
