import { CardService } from "../../../../core/cards/card-service.ts";
import { Catalog } from "../../../../core/catalog/catalog.ts";
import type { Movie } from "../../../../core/catalog/movie.ts";
import type { TasteStore } from "../../../../core/members/taste-store.ts";
import type { PosterSource } from "../../../../core/posters/poster-source.ts";
import type { Recommendation, Recommender } from "../../../../core/recommend/recommender.ts";
import type { MovieSearch, Suggestion } from "../../../../core/search/movie-search.ts";
import type { WatchSource } from "../../../../core/watch/watch-source.ts";

function movie(
  movieId: number,
  title: string,
  year: number | null,
  genres: string[],
  tmdbId: number | null = movieId * 10,
): Movie {
  return {
    movieId,
    title,
    rawTitle: year === null ? title : `${title} (${year})`,
    altTitles: [],
    year,
    genres,
    imdbId: String(movieId).padStart(7, "0"),
    tmdbId,
  };
}

/** A tiny catalog: a few real titles, awkward ones for escaping and limits, and bulk for the 100-option cap. */
export const MOVIES: Movie[] = [
  movie(1, "Toy Story", 1995, ["Adventure", "Animation", "Children", "Comedy"]),
  movie(6, "Heat", 1995, ["Action", "Crime", "Thriller"]),
  movie(2571, "The Matrix", 1999, ["Action", "Sci-Fi", "Thriller"]),
  movie(3114, "Toy Story 2", 1999, ["Adventure", "Animation", "Children", "Comedy"]),
  movie(296, "Pulp Fiction", 1994, ["Comedy", "Crime", "Drama"]),
  movie(1200, "Aliens", 1986, ["Action", "Sci-Fi"], null),
  movie(
    7,
    "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb & Other <Tales>",
    1964,
    ["Comedy", "War"],
  ),
  ...Array.from({ length: 130 }, (_, i) =>
    movie(10_000 + i, `Star Voyage ${i + 1}`, 2000 + (i % 20), ["Sci-Fi"]),
  ),
];

export const catalog = new Catalog(
  MOVIES,
  { length: 0, userIds: new Int32Array(), movieIds: new Int32Array(), values: new Float32Array() },
  "test",
);

const label = (m: Movie) => (m.year === null ? m.title : `${m.title} (${m.year})`);

/** Case-insensitive substring search; "Heat 1995" matches on title plus year. */
export class FakeSearch implements MovieSearch {
  readonly queries: string[] = [];
  async suggest(query: string, limit: number): Promise<Suggestion[]> {
    this.queries.push(query);
    const q = query.toLowerCase().trim();
    const text = (m: Movie) => label(m).toLowerCase().replace(/[()]/g, "");
    return MOVIES.filter((m) => text(m).includes(q))
      .slice(0, limit)
      .map((m) => ({ movieId: m.movieId, title: m.title, year: m.year, label: label(m) }));
  }
}

/** A backend that never answers and ignores the abort signal: the worst case for options. */
export class HangingSearch implements MovieSearch {
  calls = 0;
  suggest(): Promise<Suggestion[]> {
    this.calls++;
    return new Promise(() => {});
  }
}

/** A backend that ignores `limit` and returns every movie. */
export class FloodingSearch implements MovieSearch {
  async suggest(): Promise<Suggestion[]> {
    return MOVIES.map((m) => ({
      movieId: m.movieId,
      title: m.title,
      year: m.year,
      label: label(m),
    }));
  }
}

/** Same-genre picks, liked movies excluded; popular = the first movies of the catalog. */
export class FakeRecommender implements Recommender {
  readonly calls: number[][] = [];
  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls.push([...liked]);
    const genres = new Set(liked.flatMap((id) => catalog.get(id)?.genres ?? []));
    const items = MOVIES.filter((m) => !liked.includes(m.movieId))
      .filter((m) => m.genres.some((g) => genres.has(g)))
      .slice(0, limit)
      .map((m, i) => ({ movieId: m.movieId, score: 1 - i / 100, because: [liked[0] as number] }));
    return { strategy: "personalized", items };
  }
  async popular(limit: number): Promise<Recommendation> {
    const items = MOVIES.slice(0, limit).map((m, i) => ({
      movieId: m.movieId,
      score: 100 - i,
      because: [],
    }));
    return { strategy: "popular", items };
  }
}

export class FailingRecommender implements Recommender {
  async recommend(): Promise<Recommendation> {
    throw new Error("recommender backend exploded");
  }
  async popular(): Promise<Recommendation> {
    throw new Error("recommender backend exploded");
  }
}

/** Posters for movies with a TMDB id, like the real TMDB source. */
export class FakePosters implements PosterSource {
  async posterUrl(m: Movie): Promise<string | null> {
    return m.tmdbId === null ? null : `https://images.example.test/${m.tmdbId}.jpg`;
  }
}

export function cardService(
  search: MovieSearch = new FakeSearch(),
  recommender: Recommender = new FakeRecommender(),
  watch?: WatchSource,
  taste?: TasteStore,
): CardService {
  return new CardService({
    catalog,
    search,
    recommender,
    posters: new FakePosters(),
    watch,
    ...(taste ? { taste } : {}),
  });
}
