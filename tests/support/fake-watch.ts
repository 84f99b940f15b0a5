import type { Movie } from "../../core/catalog/movie.ts";
import type { WatchDetails, WatchSource } from "../../core/watch/watch-source.ts";

/**
 * In-memory WatchSource: in CH even movieIds stream on Netflix and odd ones on Max (both rent on
 * Apple TV); in the US everything streams on Hulu; elsewhere nothing. Every film has a trailer.
 * Records the regions asked for.
 */
export class FakeWatch implements WatchSource {
  readonly regions: string[] = [];

  async details(movie: Movie, region: string): Promise<WatchDetails> {
    this.regions.push(region);
    const trailerUrl = `https://www.youtube.com/watch?v=t${movie.movieId}`;
    const stream =
      region === "CH"
        ? movie.movieId % 2 === 0
          ? "Netflix"
          : "Max"
        : region === "US"
          ? "Hulu"
          : null;
    if (!stream) return { watch: null, trailerUrl };
    return {
      watch: {
        region,
        link: `https://www.themoviedb.org/movie/${movie.tmdbId}/watch?locale=${region}`,
        flatrate: [
          { name: "Kino Plus", logoUrl: null },
          { name: stream, logoUrl: `https://img.example/${stream}.png` },
        ],
        rent: [{ name: "Apple TV", logoUrl: null }],
        buy: [],
        attribution: "JustWatch",
      },
      trailerUrl,
    };
  }
}
