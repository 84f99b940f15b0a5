/**
 * Port: where poster look-ups are remembered. In memory by default; Redis when it is there, so every
 * instance shares one cache and TMDB sees each movie once. `undefined` = not cached; `null` = cached
 * "this movie has no poster".
 */
export interface PosterCache {
  get(tmdbId: number): Promise<string | null | undefined>;
  set(tmdbId: number, posterUrl: string | null, ttlSeconds: number): Promise<void>;
}
