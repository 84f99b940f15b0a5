import type { Movie } from "../catalog/movie.ts";

/** TMDB's terms: wherever streaming providers show, JustWatch (their source) is credited. */
export const WATCH_ATTRIBUTION = "JustWatch" as const;

export interface WatchProvider {
  name: string;
  /** A small logo image, where the surface can show one. */
  logoUrl: string | null;
}

/** Where a film can be watched in one region: subscription (flatrate), rent and buy. */
export interface WatchInfo {
  /** ISO 3166-1 alpha-2, e.g. "CH". */
  region: string;
  /** TMDB's watch page for the film in that region (it links on to each provider). */
  link: string;
  flatrate: WatchProvider[];
  rent: WatchProvider[];
  buy: WatchProvider[];
  attribution: typeof WATCH_ATTRIBUTION;
}

export interface WatchDetails {
  /** null: no data for the region, or the source failed. */
  watch: WatchInfo | null;
  /** The official YouTube trailer, else null. */
  trailerUrl: string | null;
}

/**
 * Port: where to watch a film and its trailer. Never throws: a failing or empty source gives a
 * card without providers or trailer.
 */
export interface WatchSource {
  details(movie: Movie, region: string): Promise<WatchDetails>;
}

/** The source used when no TMDB key is configured: cards show no providers and no trailer. */
export class NoWatchDetails implements WatchSource {
  async details(): Promise<WatchDetails> {
    return { watch: null, trailerUrl: null };
  }
}

export const DEFAULT_REGION = "US";

/** A region code as TMDB uses them: two letters, upper case. */
export function isRegion(text: string): boolean {
  return /^[A-Z]{2}$/.test(text);
}

/** "ch" or " CH " → "CH"; anything that is not two letters → null. */
export function parseRegion(text: string | null | undefined): string | null {
  const region = (text ?? "").trim().toUpperCase();
  return isRegion(region) ? region : null;
}

/**
 * The country a locale names, as a default region: "pt-BR" → "BR", "en-US" → "US". Locales that
 * name only a language ("fr", "ja") or a wider area ("es-419") give null.
 */
export function regionFromLocale(locale: string | null | undefined): string | null {
  const match = /^[a-z]{2,3}[-_]([A-Za-z]{2})$/.exec((locale ?? "").trim());
  return match ? (match[1] as string).toUpperCase() : null;
}

/** The services a member subscribes to come first; otherwise TMDB's display order is kept. */
export function preferServices(
  providers: readonly WatchProvider[],
  services: readonly string[],
): WatchProvider[] {
  if (services.length === 0) return [...providers];
  const mine = new Set(services.map(serviceKey));
  const has = (p: WatchProvider) => mine.has(serviceKey(p.name));
  return [...providers.filter(has), ...providers.filter((p) => !has(p))];
}

/** Provider names compared loosely: "Disney Plus" and "disney+" are one service. */
export function serviceKey(name: string): string {
  return name
    .toLowerCase()
    .replaceAll("+", "plus")
    .replace(/[^a-z0-9]/g, "");
}
