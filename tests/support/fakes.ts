import { CardService } from "../../core/cards/card-service.ts";
import type { Catalog } from "../../core/catalog/catalog.ts";
import { type Movie, movieLabel } from "../../core/catalog/movie.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { NoPosters, type PosterSource } from "../../core/posters/poster-source.ts";
import type { Recommendation, Recommender } from "../../core/recommend/recommender.ts";
import type { MovieSearch, Suggestion } from "../../core/search/movie-search.ts";
import type { WatchSource } from "../../core/watch/watch-source.ts";
import { tinyCatalog } from "./tiny-catalog.ts";

// The one set of in-memory fakes for the core's ports (plain classes, not mocks), over the tiny
// catalogue by default or any catalogue given (the real MovieLens one in some tests).

/** Most-rated first; ties (the tiny catalogue has no ratings) in catalogue order. */
function ranked(catalog: Catalog, exclude: readonly number[] = []): Movie[] {
  const skip = new Set(exclude);
  return catalog.movies
    .filter((m) => !skip.has(m.movieId))
    .map((m, i) => ({ m, i, count: catalog.statsOf(m.movieId).ratingCount }))
    .sort((a, b) => b.count - a.count || a.i - b.i)
    .map(({ m }) => m);
}

const suggestion = (m: Movie): Suggestion => ({
  movieId: m.movieId,
  title: m.title,
  year: m.year,
  label: movieLabel(m),
});

/**
 * Case-insensitive substring search over titles (and, after a title, its year: "heat 1995"),
 * most-rated first. `mode`: "hang" never answers (and ignores its signal), "fail" throws, "flood"
 * ignores the limit and answers every movie. Records the queries.
 */
export class FakeSearch implements MovieSearch {
  mode: "ok" | "hang" | "fail" | "flood" = "ok";
  readonly calls: string[] = [];
  private readonly catalog: Catalog;

  constructor(catalog: Catalog = tinyCatalog()) {
    this.catalog = catalog;
  }

  async suggest(query: string, limit: number): Promise<Suggestion[]> {
    this.calls.push(query);
    if (this.mode === "hang") return new Promise(() => {});
    if (this.mode === "fail") throw new Error("search backend down");
    if (this.mode === "flood") return this.catalog.movies.map(suggestion);
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const text = (m: Movie) => movieLabel(m).toLowerCase().replace(/[()]/g, "");
    return (
      ranked(this.catalog)
        // The year only with a title before it: "heat 1995" finds Heat (1995), "1917" only titles.
        .filter(
          (m) => m.title.toLowerCase().includes(q) || (q.includes(" ") && text(m).includes(q)),
        )
        .slice(0, limit)
        .map(suggestion)
    );
  }
}

/**
 * Recommends the most-rated movies not liked (the tiny catalogue: the others in catalogue order),
 * "because" of the first liked one; popular picks are the same ranking. It can be held (every call
 * waits for release(): "slower than the budget" made deterministic), slowed by `delayMs`, made to
 * fail always (`fail`) or the next `failuresLeft` times. Records each call.
 */
export class FakeRecommender implements Recommender {
  fail = false;
  failuresLeft = 0;
  delayMs: number;
  readonly calls: { liked: number[] | null; limit: number }[] = [];
  private readonly catalog: Catalog;
  private gate: Promise<void> | null = null;
  private open: () => void = () => {};

  constructor(options: { catalog?: Catalog; delayMs?: number } = {}) {
    this.catalog = options.catalog ?? tinyCatalog();
    this.delayMs = options.delayMs ?? 0;
  }

  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls.push({ liked: [...liked], limit });
    await this.wait();
    const items = ranked(this.catalog, liked)
      .slice(0, limit)
      .map((m, i) => ({ movieId: m.movieId, score: 1 - i / 100, because: [liked[0] as number] }));
    return { strategy: "personalized", items };
  }

  async popular(limit: number): Promise<Recommendation> {
    this.calls.push({ liked: null, limit });
    await this.wait();
    const items = ranked(this.catalog)
      .slice(0, limit)
      .map((m, i) => ({ movieId: m.movieId, score: 1 - i / 100, because: [] }));
    return { strategy: "popular", items };
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open();
    this.gate = null;
  }

  private async wait(): Promise<void> {
    if (this.gate) await this.gate;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw new Error("recommender exploded");
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error("backend timed out");
    }
  }
}

/** Posters for movies with a TMDB id, as the real TMDB source gives them. */
export class FakePosters implements PosterSource {
  async posterUrl(m: Movie): Promise<string | null> {
    return m.tmdbId === null ? null : `https://posters.example/${m.movieId}.jpg`;
  }
}

/** A real CardService over the fakes and the tiny catalogue unless told otherwise (posters: null, none). */
export function fakeCards(
  options: {
    catalog?: Catalog;
    search?: MovieSearch;
    recommender?: Recommender;
    posters?: PosterSource | null;
    watch?: WatchSource;
    taste?: TasteStore;
  } = {},
): CardService {
  const catalog = options.catalog ?? tinyCatalog();
  return new CardService({
    catalog,
    search: options.search ?? new FakeSearch(catalog),
    recommender: options.recommender ?? new FakeRecommender({ catalog }),
    posters: options.posters === null ? new NoPosters() : (options.posters ?? new FakePosters()),
    watch: options.watch,
    ...(options.taste ? { taste: options.taste } : {}),
  });
}
