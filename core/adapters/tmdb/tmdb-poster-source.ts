import pLimit from "p-limit";
import pRetry, { AbortError } from "p-retry";
import type { Movie } from "../../catalog/movie.ts";
import type { PosterCache } from "../../posters/poster-cache.ts";
import type { PosterSource } from "../../posters/poster-source.ts";

export interface TmdbOptions {
  /** TMDB API base, e.g. https://api.themoviedb.org/3 (a local server in tests). */
  apiUrl: string;
  /** v3 key (sent as ?api_key=) or v4 read access token (sent as a Bearer header); one is required. */
  apiKey?: string;
  readAccessToken?: string;
  /** Image base with size, e.g. https://image.tmdb.org/t/p/w342. */
  imageBaseUrl: string;
  cache: PosterCache;
  /** TMDB asks clients to stay around 40 requests per second; a handful in flight keeps us there. */
  concurrency?: number;
  /** A card never waits longer than this for its poster. */
  timeoutMs?: number;
  /** How long a found (or definitely missing) poster is remembered. */
  ttlSeconds?: number;
  retries?: number;
  fetch?: typeof fetch;
  onError?: (error: unknown, tmdbId: number) => void;
}

class RateLimited extends Error {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super("TMDB rate limit (429)");
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Poster URLs from TMDB by the movie's tmdbId. Cached (in memory or Redis), at most `concurrency`
 * requests in flight, identical concurrent look-ups share one request, 429 honoured by waiting
 * Retry-After before trying again. Any failure yields null: a card without an image, never an error.
 */
export class TmdbPosterSource implements PosterSource {
  private readonly options: Required<Omit<TmdbOptions, "apiKey" | "readAccessToken" | "onError">> &
    Pick<TmdbOptions, "apiKey" | "readAccessToken" | "onError">;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly inFlight = new Map<number, Promise<string | null>>();

  constructor(options: TmdbOptions) {
    if (!options.apiKey && !options.readAccessToken) {
      throw new Error("TmdbPosterSource needs TMDB_API_KEY or TMDB_READ_ACCESS_TOKEN");
    }
    this.options = {
      concurrency: 8,
      timeoutMs: 2_000,
      ttlSeconds: 7 * 24 * 3600,
      retries: 2,
      fetch: globalThis.fetch,
      ...options,
    };
    this.limit = pLimit(this.options.concurrency);
  }

  async posterUrl(movie: Movie): Promise<string | null> {
    const tmdbId = movie.tmdbId;
    if (tmdbId === null) return null;
    try {
      const cached = await this.options.cache.get(tmdbId);
      if (cached !== undefined) return cached;
    } catch (error) {
      this.options.onError?.(error, tmdbId);
    }
    const pending = this.inFlight.get(tmdbId);
    if (pending) return pending;
    const lookup = this.lookup(tmdbId).finally(() => this.inFlight.delete(tmdbId));
    this.inFlight.set(tmdbId, lookup);
    return lookup;
  }

  private async lookup(tmdbId: number): Promise<string | null> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const url = await pRetry(() => this.limit(() => this.fetchPoster(tmdbId, signal)), {
        retries: this.options.retries,
        minTimeout: 200,
        signal,
        onFailedAttempt: async ({ error }) => {
          if (error instanceof RateLimited) {
            await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs));
          }
        },
      });
      await this.options.cache.set(tmdbId, url, this.options.ttlSeconds).catch((error) => {
        this.options.onError?.(error, tmdbId);
      });
      return url;
    } catch (error) {
      this.options.onError?.(error, tmdbId);
      return null;
    }
  }

  private async fetchPoster(tmdbId: number, signal: AbortSignal): Promise<string | null> {
    const url = new URL(`${this.options.apiUrl.replace(/\/$/, "")}/movie/${tmdbId}`);
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
    // 404: TMDB has no such movie; cache the absence rather than asking again.
    if (response.status === 404) return null;
    if (response.status === 401) throw new AbortError("TMDB rejected the credentials (401)");
    if (!response.ok) throw new Error(`TMDB answered ${response.status}`);
    const body = (await response.json()) as { poster_path?: unknown };
    return typeof body.poster_path === "string" && body.poster_path.startsWith("/")
      ? `${this.options.imageBaseUrl.replace(/\/$/, "")}${body.poster_path}`
      : null;
  }
}
