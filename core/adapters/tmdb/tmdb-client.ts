import pLimit from "p-limit";
import pRetry, { AbortError } from "p-retry";

export interface TmdbClientOptions {
  /** TMDB API base, e.g. https://api.themoviedb.org/3 (a local server in tests). */
  apiUrl: string;
  /** v3 key (sent as ?api_key=) or v4 read access token (sent as a Bearer header); one is required. */
  apiKey?: string;
  readAccessToken?: string;
  /** TMDB asks clients to stay around 40 requests per second; a handful in flight keeps us there. */
  concurrency?: number;
  retries?: number;
  fetch?: typeof fetch;
}

class RateLimited extends Error {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super("TMDB rate limit (429)");
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The one way this app talks to TMDB: every look-up (posters, watch providers, videos) shares one
 * bound on requests in flight, and a 429 is honoured by waiting its Retry-After (at most 10 s)
 * before trying again. The caller's signal is its time budget: when it ends, so does the look-up.
 */
export class TmdbClient {
  private readonly options: Required<Omit<TmdbClientOptions, "apiKey" | "readAccessToken">> &
    Pick<TmdbClientOptions, "apiKey" | "readAccessToken">;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(options: TmdbClientOptions) {
    if (!options.apiKey && !options.readAccessToken) {
      throw new Error("TMDB needs TMDB_API_KEY or TMDB_READ_ACCESS_TOKEN");
    }
    this.options = { concurrency: 8, retries: 2, fetch: globalThis.fetch, ...options };
    this.limit = pLimit(this.options.concurrency);
  }

  /** GETs `path` (e.g. `/movie/862`) as JSON; null when TMDB has no such resource (404). */
  get(path: string, signal: AbortSignal): Promise<unknown> {
    return pRetry(() => this.limit(() => this.request(path, signal)), {
      retries: this.options.retries,
      minTimeout: 200,
      signal,
      onFailedAttempt: async ({ error }) => {
        if (error instanceof RateLimited) {
          await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
        }
      },
    });
  }

  private async request(path: string, signal: AbortSignal): Promise<unknown> {
    const url = new URL(`${this.options.apiUrl.replace(/\/$/, "")}${path}`);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.options.readAccessToken)
      headers.authorization = `Bearer ${this.options.readAccessToken}`;
    else url.searchParams.set("api_key", this.options.apiKey as string);
    const response = await this.options.fetch(url, { headers, signal });
    if (response.status === 429) {
      const seconds = Number(response.headers.get("retry-after"));
      throw new RateLimited(
        Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : 1000,
      );
    }
    // 404: TMDB has no such movie; callers cache the absence rather than asking again.
    if (response.status === 404) return null;
    if (response.status === 401) throw new AbortError("TMDB rejected the credentials (401)");
    if (!response.ok) throw new Error(`TMDB answered ${response.status}`);
    return response.json();
  }
}

/** Identical concurrent look-ups share one promise: ten cards of the same film ask TMDB once. */
export class SharedLookups<V> {
  private readonly inFlight = new Map<string, Promise<V>>();

  run(key: string, lookup: () => Promise<V>): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = lookup().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
