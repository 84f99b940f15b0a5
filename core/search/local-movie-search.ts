import { LRUCache } from "lru-cache";
import MiniSearch from "minisearch";
import type { Catalog } from "../catalog/catalog.ts";
import { type Movie, movieLabel } from "../catalog/movie.ts";
import type { MovieSearch, Suggestion, SuggestOptions } from "./movie-search.ts";
import { planQuery, type QueryPlan } from "./query-plan.ts";
import { indexTerms } from "./search-text.ts";

/** How well-known a movie is (its rating count); 0 when unknown. */
export type Popularity = (movieId: number) => number;

interface IndexedMovie {
  id: number;
  /**
   * Display title only: it holds the same words as the MovieLens form ("Matrix, The"), and words
   * match in any order, so "the matrix" and "matrix, the" both find it.
   */
  title: string;
  alt: string;
  year: string;
  /** The title's first word: the word people start typing, so a match there counts extra. */
  lead: string;
}

interface Entry {
  suggestion: Suggestion;
  /** Popularity factor applied to every match. */
  boost: number;
  /** Every word of the title and alternate titles, and the year: what plan prefixes and bonuses test. */
  words: string[];
  /** The title's first word. */
  lead: string;
}

// log: a movie rated 300 times should lead one rated 3 times, not bury a better text match.
const POPULARITY_WEIGHT = 0.5;
/** A title holding a typed linking word, short word or year ("heat 1995") scores this much more. */
const WORD_BONUS = 1.5;
// Titles are short; a weaker length penalty than BM25's usual 0.75 keeps "Star Wars: Episode IV -
// A New Hope" from losing to every two-word title that starts with "Star".
const BM25 = { k: 1.2, b: 0.4, d: 0.5 };

/**
 * The embedded MovieSearch: a MiniSearch index over display titles, alternate titles and years,
 * ranked by text match times a popularity factor.
 */
export class LocalMovieSearch implements MovieSearch {
  private readonly index: MiniSearch<IndexedMovie>;
  private readonly entries = new Map<number, Entry>();
  // Queries without a substantial word ("s", "th", "the") are few, and the costliest to answer.
  private readonly shortCache = new LRUCache<string, Suggestion[]>({ max: 5000 });

  static fromCatalog(catalog: Catalog): LocalMovieSearch {
    return new LocalMovieSearch(catalog.movies, (id) => catalog.statsOf(id).ratingCount);
  }

  constructor(movies: readonly Movie[], popularity: Popularity = () => 0) {
    this.index = new MiniSearch<IndexedMovie>({
      fields: ["title", "alt", "year", "lead"],
      // Each word once per field: a repeated word is not a better match for a title search.
      tokenize: (text) => [...new Set(indexTerms(text))],
      processTerm: (term) => term,
      searchOptions: {
        boost: { title: 2, alt: 1, year: 1, lead: 1 },
        bm25: BM25,
        // Query words arrive already folded by planQuery.
        tokenize: (text) => [text],
        processTerm: (term) => term,
      },
    });
    const documents: IndexedMovie[] = [];
    for (const movie of movies) {
      const year = movie.year === null ? "" : String(movie.year);
      const alt = movie.altTitles.join(" ");
      const titleWords = indexTerms(movie.title);
      this.entries.set(movie.movieId, {
        suggestion: {
          movieId: movie.movieId,
          title: movie.title,
          year: movie.year,
          label: movieLabel(movie),
        },
        boost: 1 + POPULARITY_WEIGHT * Math.log1p(popularity(movie.movieId)),
        words: [...new Set([...titleWords, ...indexTerms(alt), year])],
        lead: titleWords[0] ?? "",
      });
      documents.push({
        id: movie.movieId,
        title: movie.title,
        alt,
        year,
        lead: titleWords[0] ?? "",
      });
    }
    this.index.addAll(documents);
  }

  get size(): number {
    return this.entries.size;
  }

  async suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    options.signal?.throwIfAborted();
    return this.suggestNow(query, limit);
  }

  /** The synchronous search behind suggest, for callers (and benchmarks) that need no promise. */
  suggestNow(query: string, limit: number): Suggestion[] {
    if (!(limit > 0)) return [];
    const plan = planQuery(query);
    if (!plan) return [];
    if (!plan.shortOnly) return this.run(plan, limit);
    const key = `${limit} ${plan.terms.join(" ")}`;
    let cached = this.shortCache.get(key);
    if (!cached) {
      cached = this.run(plan, limit);
      this.shortCache.set(key, cached);
    }
    return cached.slice();
  }

  private run(plan: QueryPlan, limit: number): Suggestion[] {
    const results = this.index.search(plan.query, {
      // Called for each matching (title, word): a 0 drops the title, anything else scales its score.
      boostDocument: (id: number) => {
        const entry = this.entries.get(id);
        return entry ? factor(entry, plan) : 0;
      },
    });
    const found: { entry: Entry; score: number }[] = [];
    for (const result of results) {
      const entry = this.entries.get(result.id as number);
      if (entry) found.push({ entry, score: result.score });
      // Text-ranked results are already in order; short-only ones are re-ranked below.
      if (!plan.shortOnly && found.length >= limit) break;
    }
    if (plan.shortOnly) {
      const rank = new Map(found.map(({ entry }) => [entry, factor(entry, plan)]));
      found.sort(
        (a, b) => (rank.get(b.entry) ?? 0) - (rank.get(a.entry) ?? 0) || b.score - a.score,
      );
    }
    return found.slice(0, limit).map(({ entry }) => ({ ...entry.suggestion }));
  }
}

/** 0 when the title lacks a word the plan requires; else popularity times the bonuses it earns. */
function factor(entry: Entry, plan: QueryPlan): number {
  const { words, lead } = entry;
  for (const prefix of plan.prefixes) {
    if (!words.some((w) => w.startsWith(prefix))) return 0;
  }
  let boost = entry.boost;
  for (const word of plan.bonusWords) {
    if (words.includes(word)) boost *= 1 + WORD_BONUS;
    if (lead === word) boost *= 1 + WORD_BONUS;
  }
  return boost;
}
