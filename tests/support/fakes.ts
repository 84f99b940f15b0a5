import type { Catalog } from "../../core/catalog/catalog.ts";
import { movieLabel } from "../../core/catalog/movie.ts";
import type { Recommendation, Recommender } from "../../core/recommend/recommender.ts";
import type { MovieSearch, Suggestion } from "../../core/search/movie-search.ts";

/** In-memory MovieSearch for tests of callers: case-insensitive substring match, most-rated first. */
export class SubstringSearch implements MovieSearch {
  private readonly catalog: Catalog;
  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }
  async suggest(query: string, limit: number): Promise<Suggestion[]> {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return this.catalog.movies
      .filter((m) => m.title.toLowerCase().includes(q))
      .sort(
        (a, b) =>
          this.catalog.statsOf(b.movieId).ratingCount - this.catalog.statsOf(a.movieId).ratingCount,
      )
      .slice(0, limit)
      .map((m) => ({ movieId: m.movieId, title: m.title, year: m.year, label: movieLabel(m) }));
  }
}

/** In-memory Recommender for tests of callers: most-rated movies, liked ones excluded. */
export class MostRatedRecommender implements Recommender {
  calls: { liked: readonly number[]; limit: number }[] = [];
  private readonly catalog: Catalog;
  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }
  private ranked(exclude: readonly number[]): number[] {
    return this.catalog.movies
      .map((m) => m.movieId)
      .filter((id) => !exclude.includes(id))
      .sort((a, b) => this.catalog.statsOf(b).ratingCount - this.catalog.statsOf(a).ratingCount);
  }
  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls.push({ liked, limit });
    return {
      strategy: "personalized",
      items: this.ranked(liked)
        .slice(0, limit)
        .map((movieId, i) => ({ movieId, score: 1 - i / 100, because: [liked[0] as number] })),
    };
  }
  async popular(limit: number): Promise<Recommendation> {
    this.calls.push({ liked: [], limit });
    return {
      strategy: "popular",
      items: this.ranked([])
        .slice(0, limit)
        .map((movieId, i) => ({ movieId, score: 1 - i / 100, because: [] })),
    };
  }
}
