import type { Movie } from "../catalog/movie.ts";

/** Port: poster image URLs. Never throws: a movie without a poster, or a failing source, gives null. */
export interface PosterSource {
  posterUrl(movie: Movie): Promise<string | null>;
}

/** The source used when no TMDB key is configured: cards simply have no image. */
export class NoPosters implements PosterSource {
  async posterUrl(): Promise<string | null> {
    return null;
  }
}
