import type { Movie } from "../../catalog/movie.ts";
import type { WatchCache } from "../../watch/watch-cache.ts";
import {
  WATCH_ATTRIBUTION,
  type WatchDetails,
  type WatchInfo,
  type WatchProvider,
  type WatchSource,
} from "../../watch/watch-source.ts";
import { SharedLookups, type TmdbClient } from "./tmdb-client.ts";

export interface TmdbWatchOptions {
  /** Shared with the poster source: one bound on requests in flight and one 429 policy for TMDB. */
  client: TmdbClient;
  cache: WatchCache;
  /** Base of provider logo URLs, with a small size, e.g. https://image.tmdb.org/t/p/w92. */
  logoBaseUrl: string;
  /** A card never waits longer than this for providers and trailer (they are looked up together). */
  timeoutMs?: number;
  /** Providers change as licences come and go: about a day. */
  ttlSeconds?: number;
  onError?: (error: unknown, tmdbId: number) => void;
}

/** No film is on more services than this in one region; anything past it is noise for a card. */
const MAX_PROVIDERS = 20;

interface TmdbProvider {
  provider_name?: unknown;
  logo_path?: unknown;
  display_priority?: unknown;
}

interface TmdbVideo {
  site?: unknown;
  type?: unknown;
  key?: unknown;
  official?: unknown;
}

/**
 * Where to watch (TMDB's /movie/{id}/watch/providers, data by JustWatch) and the trailer
 * (/movie/{id}/videos). Providers are cached per film and region, trailers per film; a 404 or an
 * empty answer is remembered as "none", a failure is not (the next card asks again).
 */
export class TmdbWatchSource implements WatchSource {
  private readonly options: Required<Omit<TmdbWatchOptions, "onError">> &
    Pick<TmdbWatchOptions, "onError">;
  private readonly providerLookups = new SharedLookups<WatchInfo | null>();
  private readonly trailerLookups = new SharedLookups<string | null>();

  constructor(options: TmdbWatchOptions) {
    this.options = { timeoutMs: 2_000, ttlSeconds: 24 * 3600, ...options };
  }

  async details(movie: Movie, region: string): Promise<WatchDetails> {
    const tmdbId = movie.tmdbId;
    if (tmdbId === null) return { watch: null, trailerUrl: null };
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const [watch, trailerUrl] = await Promise.all([
      this.cached(`watch:${tmdbId}:${region}`, tmdbId, this.providerLookups, () =>
        this.fetchProviders(tmdbId, region, signal),
      ),
      this.cached(`trailer:${tmdbId}`, tmdbId, this.trailerLookups, () =>
        this.fetchTrailer(tmdbId, signal),
      ),
    ]);
    return { watch, trailerUrl };
  }

  private async cached<V>(
    key: string,
    tmdbId: number,
    lookups: SharedLookups<V | null>,
    fetchValue: () => Promise<V | null>,
  ): Promise<V | null> {
    const { cache, ttlSeconds, onError } = this.options;
    try {
      const hit = await cache.get(key);
      if (hit !== undefined) return JSON.parse(hit) as V | null;
    } catch (error) {
      onError?.(error, tmdbId);
    }
    return lookups.run(key, async () => {
      try {
        const value = await fetchValue();
        await cache.set(key, JSON.stringify(value), ttlSeconds).catch((error) => {
          onError?.(error, tmdbId);
        });
        return value;
      } catch (error) {
        onError?.(error, tmdbId);
        return null;
      }
    });
  }

  private async fetchProviders(
    tmdbId: number,
    region: string,
    signal: AbortSignal,
  ): Promise<WatchInfo | null> {
    const body = (await this.options.client.get(`/movie/${tmdbId}/watch/providers`, signal)) as {
      results?: Record<
        string,
        { link?: unknown; flatrate?: unknown; rent?: unknown; buy?: unknown }
      >;
    } | null;
    const entry = body?.results?.[region];
    if (!entry) return null;
    const info: WatchInfo = {
      region,
      link:
        typeof entry.link === "string" && /^https:\/\//.test(entry.link)
          ? entry.link
          : `https://www.themoviedb.org/movie/${tmdbId}/watch?locale=${region}`,
      flatrate: this.providers(entry.flatrate),
      rent: this.providers(entry.rent),
      buy: this.providers(entry.buy),
      attribution: WATCH_ATTRIBUTION,
    };
    const any = info.flatrate.length + info.rent.length + info.buy.length > 0;
    return any ? info : null;
  }

  private providers(list: unknown): WatchProvider[] {
    if (!Array.isArray(list)) return [];
    const logoBase = this.options.logoBaseUrl.replace(/\/$/, "");
    const seen = new Set<string>();
    return (list as TmdbProvider[])
      .filter((p): p is TmdbProvider & { provider_name: string } => {
        if (typeof p?.provider_name !== "string" || p.provider_name.trim() === "") return false;
        if (seen.has(p.provider_name)) return false;
        seen.add(p.provider_name);
        return true;
      })
      .sort((a, b) => priority(a) - priority(b))
      .slice(0, MAX_PROVIDERS)
      .map((p) => ({
        name: p.provider_name.trim(),
        logoUrl:
          typeof p.logo_path === "string" && p.logo_path.startsWith("/")
            ? `${logoBase}${p.logo_path}`
            : null,
      }));
  }

  private async fetchTrailer(tmdbId: number, signal: AbortSignal): Promise<string | null> {
    const body = (await this.options.client.get(`/movie/${tmdbId}/videos`, signal)) as {
      results?: unknown;
    } | null;
    const videos = Array.isArray(body?.results) ? (body.results as TmdbVideo[]) : [];
    const trailers = videos.filter(
      (v) =>
        v?.site === "YouTube" &&
        v.type === "Trailer" &&
        typeof v.key === "string" &&
        /^[\w-]{1,64}$/.test(v.key),
    );
    // Official first; among equals, TMDB's order (its most relevant first) is kept: sort is stable.
    trailers.sort((a, b) => Number(b.official === true) - Number(a.official === true));
    const best = trailers[0];
    return best ? `https://www.youtube.com/watch?v=${best.key as string}` : null;
  }
}

function priority(provider: TmdbProvider): number {
  return typeof provider.display_priority === "number" ? provider.display_priority : 1_000;
}
