import type { Movie } from "../../catalog/movie.ts";
import type { PosterCache } from "../../posters/poster-cache.ts";
import type { PosterSource } from "../../posters/poster-source.ts";
import { SharedLookups, TmdbClient, type TmdbClientOptions } from "./tmdb-client.ts";

export interface TmdbOptions extends Partial<TmdbClientOptions> {
  /** The client shared with the other TMDB look-ups; built from the options below when absent. */
  client?: TmdbClient;
  /** Image base with size, e.g. https://image.tmdb.org/t/p/w342. */
  imageBaseUrl: string;
  cache: PosterCache;
  /** A card never waits longer than this for its poster. */
  timeoutMs?: number;
  /** How long a found (or definitely missing) poster is remembered. */
  ttlSeconds?: number;
  onError?: (error: unknown, tmdbId: number) => void;
}

/**
 * Poster URLs from TMDB by the movie's tmdbId. Cached (in memory or Redis), identical concurrent
 * look-ups share one request; the client bounds concurrency and honours 429s. Any failure yields
 * null: a card without an image, never an error.
 */
export class TmdbPosterSource implements PosterSource {
  private readonly client: TmdbClient;
  private readonly imageBaseUrl: string;
  private readonly cache: PosterCache;
  private readonly timeoutMs: number;
  private readonly ttlSeconds: number;
  private readonly onError?: (error: unknown, tmdbId: number) => void;
  private readonly lookups = new SharedLookups<string | null>();

  constructor(options: TmdbOptions) {
    this.client =
      options.client ??
      new TmdbClient({ ...options, apiUrl: options.apiUrl ?? "https://api.themoviedb.org/3" });
    this.imageBaseUrl = options.imageBaseUrl.replace(/\/$/, "");
    this.cache = options.cache;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
    this.onError = options.onError;
  }

  async posterUrl(movie: Movie): Promise<string | null> {
    const tmdbId = movie.tmdbId;
    if (tmdbId === null) return null;
    try {
      const cached = await this.cache.get(tmdbId);
      if (cached !== undefined) return cached;
    } catch (error) {
      this.onError?.(error, tmdbId);
    }
    return this.lookups.run(String(tmdbId), () => this.lookup(tmdbId));
  }

  private async lookup(tmdbId: number): Promise<string | null> {
    try {
      const body = await this.client.get(`/movie/${tmdbId}`, AbortSignal.timeout(this.timeoutMs));
      const path = (body as { poster_path?: unknown } | null)?.poster_path;
      const url =
        typeof path === "string" && path.startsWith("/") ? `${this.imageBaseUrl}${path}` : null;
      await this.cache.set(tmdbId, url, this.ttlSeconds).catch((error) => {
        this.onError?.(error, tmdbId);
      });
      return url;
    } catch (error) {
      this.onError?.(error, tmdbId);
      return null;
    }
  }
}
