import { LRUCache } from "lru-cache";
import type { MovieSearch, Suggestion, SuggestOptions } from "./movie-search.ts";
import { queryTerms } from "./search-text.ts";

/** The cache key of a query: folded terms (case, accents, spacing) and the limit. */
export function suggestionKey(query: string, limit: number): string {
  return `${limit}\u0000${queryTerms(query).join(" ")}`;
}

/**
 * Remembers recent answers of a MovieSearch. Autocomplete traffic repeats itself (everyone types
 * "the g", "the go", "the god" on the way to The Godfather), and a typo-tolerant search costs far
 * more than a cache hit; the catalogue does not change while the process runs.
 */
export class CachingMovieSearch implements MovieSearch {
  private readonly inner: MovieSearch;
  private readonly cache: LRUCache<string, Suggestion[]>;
  /** Look-ups answered from memory and computed, since start: the bench's and /metrics' hit rate. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(inner: MovieSearch, options: { size: number; ttlMs: number }) {
    this.inner = inner;
    this.cache = new LRUCache({ max: Math.max(1, options.size), ttl: Math.max(1, options.ttlMs) });
  }

  async suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    const key = suggestionKey(query, limit);
    const cached = this.cache.get(key);
    if (cached) {
      this.stats.hits++;
      return cached.map((s) => ({ ...s }));
    }
    this.stats.misses++;
    const results = await this.inner.suggest(query, limit, options);
    this.cache.set(
      key,
      results.map((s) => ({ ...s })),
    );
    return results;
  }
}
