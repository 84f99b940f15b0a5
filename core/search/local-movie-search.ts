import { LRUCache } from "lru-cache";
import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import type { Catalog } from "../catalog/catalog.ts";
import { type Movie, movieLabel } from "../catalog/movie.ts";
import { type Hits, IndexSearcher, StampedScores } from "./index-searcher.ts";
import type { MovieSearch, Suggestion, SuggestOptions } from "./movie-search.ts";
import {
  type BrowsePlan,
  type PlanOptions,
  planQuery,
  type QueryPlan,
  type TextPlan,
} from "./query-plan.ts";
import { ARTICLES, foldText, indexTerms } from "./search-text.ts";
import { type QueryReading, queryReadings, titleVariants } from "./title-forms.ts";
import { firstAtLeast, letterSet, TypoTerms } from "./typo-terms.ts";

/** How well-known a movie is (its rating count); 0 when unknown. */
export type Popularity = (movieId: number) => number;

export interface IndexedMovie {
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
  /** Other ways of typing the title's words ("2" for "II", "spiderman"): title-forms.ts. */
  forms: string;
}

interface Entry {
  suggestion: Suggestion;
  /** Popularity factor applied to every match. */
  boost: number;
  /**
   * Every word of the title and alternate titles, and the year, each preceded and followed by a
   * space (" the matrix 1999 "): what plan prefixes and bonuses test, with one substring search
   * (" mat" for a prefix, " the " for a word) rather than a loop over words.
   */
  text: string;
  /** The title's first word. */
  lead: string;
  /** Where typing starts: the first word, and the next one when the first is an article. */
  starts: string[];
}

// log: a movie rated 300 times should lead one rated 3 times, not bury a better text match.
const POPULARITY_WEIGHT = 0.5;
/** A title holding a typed linking word, short word or year ("heat 1995") scores this much more. */
const WORD_BONUS = 1.5;
/**
 * A popularity walk that has its answers stops after this many movies even if a bonus could still
 * lift a later one: past the two thousand most-rated (or, without ratings, the oldest MovieLens
 * entries), an exact-word match is not worth a walk through the whole catalogue on a keystroke.
 * A walk that has not found enough by then hands over to the index.
 */
const BROWSE_DEPTH = 2000;
/**
 * A browse walks every one of the first WALK_ALL movies; past them, when its words are rare (at
 * most MAX_RARE_WORDS words starting with its prefix, held by at most MAX_RARE_RANKS movies), only
 * the movies holding them. Common prefixes ("s") fill the top within the first movies anyway.
 */
const WALK_ALL = 100;
const MAX_RARE_WORDS = 64;
const MAX_RARE_RANKS = 4000;
// Titles are short; a weaker length penalty than BM25's usual 0.75 keeps "Star Wars: Episode IV -
// A New Hope" from losing to every two-word title that starts with "Star".
const BM25 = { k: 1.2, b: 0.4, d: 0.5 };
/**
 * A reading of the query other than the words as typed ("braveheart" for "brave heart", "toy story"
 * for "toystory", "doctor" for "dr") scores a little less, so a title matching what was typed wins
 * a tie. Short forms ("lotr") are what the user meant and score in full.
 */
const READING_WEIGHT: Record<QueryReading["kind"], number> = {
  typed: 1,
  "short form": 1,
  spelling: 0.9,
  joined: 0.9,
  split: 0.9,
};
// A word typed as one is split in two ("toystory") only from this length: shorter words are
// still being typed, or are words.
const SPLIT_MIN_LENGTH = 6;
const WEAK_SPLIT_WEIGHT = 0.5;
const WELL_KNOWN = 1000;
const SEQUEL_NUMBER = /^\d{1,2}$/;
/** A title word written another way ("2" for "II") matches like a word of the display title. */
const FORMS_BOOST = 2;

/** Which movies (by rank in byPopularity) hold each word: LocalMovieSearch.rankIndex. */
interface RankIndex {
  words: string[];
  starts: Int32Array;
  ranks: Int32Array;
}

/**
 * The built index in plain data, for a snapshot: MiniSearch's own form and each movie's entry
 * (movieId, boost, text, lead, starts). Reading it back skips tokenizing 62k titles.
 */
export interface SearchSnapshot {
  index: AsPlainObject;
  entries: [number, number, string, string, string[]][];
}

/** The index's MiniSearch options (exported for the tests that hold IndexSearcher to MiniSearch). */
export function indexOptions(): Options<IndexedMovie> {
  return {
    fields: ["title", "alt", "year", "lead", "forms"],
    // Each word once per field: a repeated word is not a better match for a title search. The
    // other ways of typing the title's words have a field of their own, so they do not make the
    // title look longer (BM25) or match twice.
    tokenize: (text, field) =>
      field === "forms" ? [...new Set(text.split(" "))] : [...new Set(indexTerms(text))],
    processTerm: (term) => term,
    searchOptions: {
      boost: { title: 2, alt: 1, year: 1, lead: 1, forms: FORMS_BOOST },
      bm25: BM25,
      // Query words arrive already folded by planQuery.
      tokenize: (text) => [text],
      processTerm: (term) => term,
    },
  };
}

/**
 * The embedded MovieSearch: a MiniSearch index over display titles, alternate titles and years,
 * ranked by text match times a popularity factor.
 */
export class LocalMovieSearch implements MovieSearch {
  private readonly index: MiniSearch<IndexedMovie>;
  /** Answers the index's text queries (index-searcher.ts). */
  private readonly searcher: IndexSearcher;
  private readonly entries = new Map<number, Entry>();
  /** Each entry by the index's number for its movie (the searcher's documents); see documents. */
  private entryAt: (Entry | undefined)[] | null = null;
  /** Most-rated first (then by movieId, older MovieLens entries being the better known). */
  private readonly byPopularity: Entry[];
  // Browse queries ("s", "th", "the") are few, and the costliest to answer.
  private readonly browseCache = new LRUCache<string, Suggestion[]>({ max: 5000 });
  /** The factor of each title for the runs of one plan (factorRun). */
  private factors: Factors | null = null;
  private mergedTable: Merged | null = null;
  /** See initials. */
  private initialsByRank: Int32Array | null = null;
  /**
   * Each indexed word's letters and length (shapeOf), sorted: what swaps checks first. 150 KB at
   * 62k titles, where a Set of them took 1.5 MB.
   */
  private shapes: Int32Array | null = null;
  /** Where a browse finds the movies holding a rare word (rankIndex). */
  private ranks: RankIndex | null = null;
  /** Every indexed word: where swaps, joins and splits of typed words are checked. */
  private readonly vocabulary = new Set<string>();
  private readonly planOptions: PlanOptions = {
    swaps: (word) => this.swaps(word),
  };

  static fromCatalog(catalog: Catalog): LocalMovieSearch {
    return new LocalMovieSearch(catalog.movies, (id) => catalog.statsOf(id).ratingCount);
  }

  /** `snapshot`: the index `toSnapshot` gave for these movies; `popularity` is then unused. */
  constructor(
    movies: readonly Movie[],
    popularity: Popularity = () => 0,
    snapshot?: SearchSnapshot,
  ) {
    if (snapshot) {
      this.index = MiniSearch.loadJS(snapshot.index, indexOptions());
      const byId = new Map(movies.map((m) => [m.movieId, m]));
      for (const [movieId, boost, text, lead, starts] of snapshot.entries) {
        const movie = byId.get(movieId);
        if (!movie)
          throw new Error(`search snapshot names movie ${movieId}, unknown to the catalogue`);
        this.entries.set(movieId, { suggestion: suggestionOf(movie), boost, text, lead, starts });
      }
    } else {
      this.index = new MiniSearch<IndexedMovie>(indexOptions());
      const documents: IndexedMovie[] = [];
      for (const movie of movies) {
        const year = movie.year === null ? "" : String(movie.year);
        const alt = movie.altTitles.join(" ");
        const titleWords = indexTerms(movie.title);
        const lead = titleWords[0] ?? "";
        this.entries.set(movie.movieId, {
          suggestion: suggestionOf(movie),
          boost: 1 + POPULARITY_WEIGHT * Math.log1p(popularity(movie.movieId)),
          text: ` ${[...new Set([...titleTerms(movie.title), ...titleTerms(alt), year])].join(" ")} `,
          lead,
          starts: titleWords.slice(0, ARTICLES.has(lead) ? 2 : 1),
        });
        const own = new Set([...titleWords, ...indexTerms(alt)]);
        const forms = [...titleTerms(movie.title), ...titleTerms(alt)].filter((w) => !own.has(w));
        documents.push({
          id: movie.movieId,
          title: movie.title,
          alt,
          year,
          lead,
          forms: forms.join(" "),
        });
      }
      this.index.addAll(documents);
    }
    for (const entry of this.entries.values())
      for (const word of entry.text.split(" ")) if (word) this.vocabulary.add(word);
    // The words of the entries' texts are exactly the index's terms (title, alternate titles,
    // their other forms, the year).
    this.searcher = new IndexSearcher(
      this.index as MiniSearch<unknown>,
      () => new TypoTerms(this.vocabulary),
    );
    this.byPopularity = [...this.entries.values()].sort(
      (a, b) => b.boost - a.boost || a.suggestion.movieId - b.suggestion.movieId,
    );
  }

  /**
   * Builds now the tables a browse (a query of short words, what the first keystrokes of a title
   * are) otherwise builds on first use, and the searcher's (index-searcher.ts): about 0.1 s and
   * 30–50 ms at 62k titles that the first keystroke after a start would pay, and that the start
   * itself need not (the search thread calls this once it is ready); the words' first letters and
   * the searcher's sorted words (issue 18, round 7) made it 199 → 267 ms of CPU on a busy host.
   * The typo look-up's table stays built on first use: typos are rarer, and its 50–140 ms would be
   * taken from the rest of a start on two shared cores. Answers are the same either way.
   */
  prepare(): void {
    this.rankIndex();
    this.initials();
    this.documents();
  }

  /** The entries by the index's document numbers, with the searcher's tables (made on first use). */
  private documents(): (Entry | undefined)[] {
    this.entryAt ??= this.searcher.ids.map((id) => this.entries.get(id as number));
    return this.entryAt;
  }

  /** The built index as plain data (see SearchSnapshot). */
  toSnapshot(): SearchSnapshot {
    return {
      index: this.index.toJSON(),
      entries: [...this.entries.values()].map((e) => [
        e.suggestion.movieId,
        e.boost,
        e.text,
        e.lead,
        e.starts,
      ]),
    };
  }

  get size(): number {
    return this.entries.size;
  }

  async suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    options.signal?.throwIfAborted();
    return this.suggestNow(query, limit);
  }

  /** The synchronous search behind suggest, for callers (and benchmarks) that need no promise. */
  suggestNow(query: string, requested: number): Suggestion[] {
    const limit = Math.floor(requested);
    if (!(limit > 0)) return [];
    const [typed, ...others] = queryReadings(query);
    if (!typed) return [];
    const plan = planQuery(typed, this.planOptions);
    if (!plan) return [];
    const alternatives = this.alternativePlans(typed, others);
    const texts = alternatives.flatMap((a) =>
      a.plan.kind === "text" ? [{ ...a, plan: a.plan }] : [],
    );
    if (plan.kind === "text") {
      const plans = [{ plan, weight: 1, kind: typed.kind }, ...texts];
      const found = this.search(plans, limit);
      if (found.length > 0) return found;
      // Another reading of only short words ("doctor no" → "dr no") before relaxing the typed one.
      for (const { plan: other } of alternatives) {
        if (other.kind === "browse") {
          const browsed = this.browseCached(other, limit);
          if (browsed.length > 0) return browsed;
        }
      }
      return this.search(plans, limit, true);
    }
    // Only short words typed ("hp", "bat man"): a short form or join that names a title comes
    // before the titles that merely start so; another spelling ("dr" → "doctor") does not.
    const named = this.search(
      texts.filter((a) => a.kind !== "spelling"),
      limit,
    );
    const seen = new Set(named.map((s) => s.movieId));
    const browsed = this.browseCached(plan, limit).filter((s) => !seen.has(s.movieId));
    return [...named, ...browsed].slice(0, limit);
  }

  private browseCached(plan: BrowsePlan, limit: number): Suggestion[] {
    const key = `${limit} ${plan.terms.join(" ")}`;
    let cached = this.browseCache.get(key);
    if (!cached) {
      cached = this.browse(plan, limit);
      this.browseCache.set(key, cached);
    }
    return cached.map((s) => ({ ...s }));
  }

  /** The plans of the other readings, those whose rewritten words the index holds. */
  private alternativePlans(
    typed: QueryReading,
    others: QueryReading[],
  ): { plan: QueryPlan; weight: number; kind: QueryReading["kind"] }[] {
    const readings = [...others, ...this.splits(typed)];
    const plans: { plan: QueryPlan; weight: number; kind: QueryReading["kind"] }[] = [];
    for (const reading of readings) {
      const rewritten = reading.words.filter((w) => !typed.words.includes(w));
      // A join or split is a guess: only worth a search when the index holds the words it makes.
      if (
        (reading.kind === "joined" || reading.kind === "split") &&
        !rewritten.every((w) => this.vocabulary.has(w))
      )
        continue;
      const plan = planQuery(reading, {
        ...this.planOptions,
        exact: reading.kind === "joined" ? new Set(rewritten) : undefined,
      });
      if (!plan) continue;
      // Splitting a word the index holds ("ghostbusters" → "ghost busters") is a weaker guess than
      // splitting one it does not ("toystory"): the titles holding the word as typed come first.
      const weakSplit =
        reading.kind === "split" &&
        typed.words.some((w) => !reading.words.includes(w) && this.vocabulary.has(w));
      plans.push({
        plan,
        weight: READING_WEIGHT[reading.kind] * (weakSplit ? WEAK_SPLIT_WEIGHT : 1),
        kind: reading.kind,
      });
    }
    return plans;
  }

  /** "toystory" → "toy story": a long typed word that two indexed words make up. */
  private splits(typed: QueryReading): QueryReading[] {
    const readings: QueryReading[] = [];
    typed.words.forEach((word, i) => {
      if (word.length < SPLIT_MIN_LENGTH || !/^[a-z]+$/.test(word)) return;
      for (let at = 2; at <= word.length - 2 && readings.length < 2; at++) {
        // Most left parts are no word: the right one is cut only for those that are.
        const left = word.slice(0, at);
        if (!this.vocabulary.has(left)) continue;
        const right = word.slice(at);
        if (this.vocabulary.has(right)) {
          const words = [...typed.words.slice(0, i), left, right, ...typed.words.slice(i + 1)];
          readings.push({ words, optional: typed.optional, kind: "split" });
        }
      }
    });
    return readings;
  }

  /** Indexed words one swap of neighbouring letters away from a word the index lacks. */
  private swaps(word: string): string[] {
    if (word.length < 4 || this.vocabulary.has(word)) return [];
    // A swap keeps the word's letters and length: when no indexed word has both (a word still being
    // typed, "redemp"), no swap is one, and none need be made and looked up.
    this.shapes ??= Int32Array.from(this.vocabulary, shapeOf).sort();
    const shape = shapeOf(word);
    if (this.shapes[firstAtLeast(this.shapes, shape)] !== shape) return [];
    const found: string[] = [];
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] === word[i + 1]) continue;
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (this.vocabulary.has(swapped)) found.push(swapped);
    }
    return found;
  }

  /** The `limit` best of `hits` as suggestions, equal scores in the order the index met them. */
  private topHits(hits: Hits, limit: number): Suggestion[] {
    const { docs, scores } = hits;
    const places = bestPlaces(
      docs.length,
      limit,
      (a, b) => (scores[a] as number) > (scores[b] as number),
    );
    return this.suggestionsOf(places.map((i) => docs[i] as number));
  }

  /** The `limit` best of the merged scores (by document), equal scores by movieId. */
  private topMerged(best: Merged, limit: number): Suggestion[] {
    const docs = best.order.subarray(0, best.count);
    const entryAt = this.documents();
    const places = bestPlaces(docs.length, limit, (a, b) => {
      const [docA, docB] = [docs[a] as number, docs[b] as number];
      const [x, y] = [best.score[docA] as number, best.score[docB] as number];
      return (
        x > y ||
        (x === y &&
          (entryAt[docA]?.suggestion.movieId ?? 0) < (entryAt[docB]?.suggestion.movieId ?? 0))
      );
    });
    return this.suggestionsOf(places.map((i) => docs[i] as number));
  }

  private suggestionsOf(docs: number[]): Suggestion[] {
    const suggestions: Suggestion[] = [];
    const entryAt = this.documents();
    for (const doc of docs) {
      const entry = entryAt[doc];
      if (entry) suggestions.push({ ...entry.suggestion });
    }
    return suggestions;
  }

  /**
   * The best `limit` titles for every reading's plan, merged by best score: exact and prefix
   * matches first; typo matches too when there are none or all are obscure, with popularity
   * counted twice (a typo says less about which film is meant, so the well-known one should lead).
   */
  private search(
    plans: { plan: TextPlan; weight: number }[],
    limit: number,
    relaxed = false,
  ): Suggestion[] {
    if (plans.length === 0) return [];
    const best = this.merged();
    const add = ({ docs, scores }: Hits, weight: number, skipExact = false) => {
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i] as number;
        if (skipExact && best.exact(doc)) continue;
        best.raise(doc, (scores[i] as number) * weight);
      }
    };
    if (relaxed) {
      // Nothing found: perhaps a short word was mistyped ("silence f the lambs"); let short words
      // lift instead of filter.
      for (const { plan, weight } of plans)
        if (plan.prefixes.length > 0)
          add(this.run(plan, plan.typos, true, this.factorRun()), weight);
      return this.topMerged(best, limit);
    }
    // A plan's exact and typo runs ask for the same titles' factors: they are kept between them.
    const runs = plans.map(() => this.factorRun());
    const exactRuns = plans.map(({ plan }, i) => this.run(plan, false, false, runs[i] as number));
    const typos = plans.some(({ plan }) => plan.typos);
    const needTypos =
      typos && (exactRuns.every((r) => r.docs.length === 0) || this.obscure(exactRuns));
    // The common case, one reading found as typed: ranked as MiniSearch ranks it.
    const [only] = exactRuns;
    if (exactRuns.length === 1 && only && !needTypos) return this.topHits(only, limit);
    exactRuns.forEach((hits, i) => {
      add(hits, plans[i]?.weight ?? 1);
    });
    if (needTypos) {
      // Titles found as typed keep that score; the typo pass only adds others.
      best.markExact();
      plans.forEach(({ plan, weight }, i) => {
        if (plan.typos) add(this.run(plan, true, false, runs[i] as number), weight, true);
      });
    }
    return this.topMerged(best, limit);
  }

  /**
   * True when no title found as typed is well known (among the WELL_KNOWN most-rated): "the dark
   * night" matches obscure titles word for word, while the film meant is one letter away. Without
   * ratings every title is as well known as any, and the exact matches stand.
   */
  private obscure(runs: Hits[]): boolean {
    const bar = this.byPopularity[Math.min(WELL_KNOWN, this.byPopularity.length - 1)]?.boost ?? 1;
    if (bar <= 1) return false;
    const entryAt = this.documents();
    for (const { docs } of runs)
      for (const doc of docs) if ((entryAt[doc]?.boost ?? 0) >= bar) return false;
    return true;
  }

  /**
   * A plan's titles and scores: `typos` allows its words' typos and counts popularity twice;
   * `relaxed` lets its short words lift rather than filter.
   */
  private run(plan: TextPlan, typos: boolean, relaxed: boolean, factorRun: number): Hits {
    const needles = needlesOf(plan);
    const entryAt = this.documents();
    const factors = this.factors as Factors;
    // Asked once for each matching title: a 0 drops it, anything else scales its score.
    return this.searcher.search(plan.words, typos, (doc) => {
      const entry = entryAt[doc];
      if (!entry) return 0;
      let value: number;
      if (factors.run[doc] === factorRun) value = factors.value[doc] as number;
      else {
        value = factor(entry, needles, relaxed);
        factors.value[doc] = value;
        factors.run[doc] = factorRun;
      }
      return value * (typos ? entry.boost : 1);
    });
  }

  /**
   * A number for the factors of one plan's runs (see Factors). In a typo pass, the typo run asked
   * again for the factors of every title the exact run had found: 7–9 % of a keystroke went to
   * `factor`.
   */
  private factorRun(): number {
    const size = this.documents().length;
    if (this.factors === null || this.factors.last === 0x7fffffff) {
      this.factors = { value: new Float64Array(size), run: new Int32Array(size), last: 0 };
    }
    return ++this.factors.last;
  }

  /** The scratch table of a search's best scores, emptied (see Merged). */
  private merged(): Merged {
    this.mergedTable ??= new Merged(this.documents().length);
    this.mergedTable.clear();
    return this.mergedTable;
  }

  /**
   * A browse finds titles for a query without a substantial word. A single letter ("s") or a
   * linking word ("the") matches thousands of titles: those are found by walking the catalogue
   * from the most-rated movie down, keeping the best-scoring matches and stopping once even the
   * largest bonus could not lift the next movie into the top `limit` — after a few dozen movies
   * rather than the thousands that contain the word.
   */
  private browse(plan: BrowsePlan, limit: number): Suggestion[] {
    const found = this.browseByPopularity(plan, limit);
    if (found) return found;
    // A rare prefix ("tit", "sin ci"): the index lists exactly the titles holding it; every title
    // must hold all the prefixes, so the longest (the rarest, likely) picks the candidates.
    const [longest = ""] = [plan.prefix ?? "", ...plan.prefixes].sort(
      (a, b) => b.length - a.length,
    );
    return this.browseByIndex(plan, longest, limit);
  }

  /** Titles holding a word that starts with `prefix` and matching the plan, ranked by its factor. */
  private browseByIndex(plan: BrowsePlan, prefix: string, limit: number): Suggestion[] {
    const needles = needlesOf(plan);
    const ranked: { entry: Entry; score: number }[] = [];
    const entryAt = this.documents();
    for (const doc of this.searcher.withPrefix(prefix, ["title", "alt"])) {
      const entry = entryAt[doc];
      if (!entry || !browseMatch(entry, needles)) continue;
      const score = factor(entry, needles);
      if (score > 0) ranked.push({ entry, score });
    }
    ranked.sort(
      (a, b) =>
        b.score - a.score ||
        b.entry.boost - a.entry.boost ||
        a.entry.suggestion.movieId - b.entry.suggestion.movieId,
    );
    return ranked.slice(0, limit).map(({ entry }) => ({ ...entry.suggestion }));
  }

  /**
   * The walk from the most-rated movie down; null when the plan has a prefix so rare that the
   * first BROWSE_DEPTH movies hold fewer than `limit` matches. Past the first WALK_ALL movies it
   * visits only those holding the plan's words, when few enough words do (rankHolding): the same
   * stops and the same answer as visiting every movie, without testing thousands that cannot match.
   */
  private browseByPopularity(plan: BrowsePlan, limit: number): Suggestion[] | null {
    // Each bonus word can be held once and only one can also start the title; each prefix is held,
    // and the title may start with the first.
    const bonusCount = plan.bonusWords.length;
    const lifts =
      bonusCount + Math.min(1, bonusCount) + plan.prefixes.length + (plan.prefix === null ? 0 : 1);
    const maxBonus = (1 + WORD_BONUS) ** lifts;
    const needles = needlesOf(plan);
    // A title holds a needle only if one of its words starts with the needle's first letter: most
    // are ruled out by that bit before their text is searched.
    const initials = this.initials();
    let initialsWanted = 0;
    for (const needle of needles.browse) initialsWanted |= letterSet(needle.charAt(1));
    const best: { entry: Entry; score: number }[] = [];
    const done = () => best.map(({ entry }) => ({ ...entry.suggestion }));
    const count = this.byPopularity.length;
    // Visits the movie of that rank: false once the walk is over.
    let rare = false;
    const visit = (rank: number): boolean => {
      const entry = this.byPopularity[rank] as Entry;
      const full = best.length >= limit;
      const floor = full ? (best.at(-1)?.score ?? 0) : 0;
      // Popularity only falls along the walk, so a movie that cannot make the top ends it (floor is
      // 0, and nothing ends, while the top is not full).
      if (entry.boost * maxBonus <= floor) return false;
      if (rank >= BROWSE_DEPTH) {
        if (full) return false;
        if (plan.prefix !== null) {
          rare = true;
          return false;
        }
      }
      if (((initials[rank] as number) & initialsWanted) === 0 || !browseMatch(entry, needles))
        return true;
      const score = factor(entry, needles);
      if (score <= floor) return true;
      let at = best.length;
      while (at > 0 && (best[at - 1]?.score ?? 0) < score) at--;
      best.splice(at, 0, { entry, score });
      if (best.length > limit) best.pop();
      return true;
    };
    const walked = Math.min(count, WALK_ALL);
    for (let rank = 0; rank < walked; rank++) if (!visit(rank)) return rare ? null : done();
    const ranks = this.ranksHolding(needles, walked);
    if (ranks === null) {
      for (let rank = walked; rank < count; rank++) if (!visit(rank)) return rare ? null : done();
      return done();
    }
    // The movies skipped hold none of the words: visiting them changes nothing but the stops, and
    // the next movie visited stops the walk as they would have (popularity and depth only grow).
    for (const rank of ranks) if (!visit(rank)) return rare ? null : done();
    // Past the last movie holding the words, the walk would have reached BROWSE_DEPTH short.
    if (best.length < limit && plan.prefix !== null && count > BROWSE_DEPTH) return null;
    return done();
  }

  /** The first letters of each movie's words, by rank in byPopularity, as letterSet bits. */
  private initials(): Int32Array {
    this.initialsByRank ??= Int32Array.from(this.byPopularity, ({ text }) => {
      // A letter after a space starts a word (" the matrix 1999 "); splitting each text into words
      // took twice as long at 62k titles.
      let set = 0;
      for (
        let at = text.indexOf(" ") + 1;
        at > 0 && at < text.length;
        at = text.indexOf(" ", at) + 1
      )
        if (text[at] !== " ") set |= letterSet(text.charAt(at));
      return set;
    });
    return this.initialsByRank;
  }

  /**
   * The ranks (places in byPopularity), from `from` on and ascending, of the movies holding one of
   * a browse's words (a word starting with its prefix, or one of its words); null when that is
   * many movies, and walking them all is as quick.
   */
  private ranksHolding(needles: Needles, from: number): number[] | null {
    const index = this.rankIndex();
    const lists: Int32Array[] = [];
    let total = 0;
    for (const needle of needles.browse) {
      const whole = needle.endsWith(" ");
      const word = needle.slice(1, whole ? -1 : undefined);
      const first = firstWordFrom(index.words, word);
      let last = first;
      if (whole) {
        if (index.words[first] === word) last++;
      } else {
        while (last < index.words.length && (index.words[last] as string).startsWith(word)) {
          if (last - first >= MAX_RARE_WORDS) return null;
          last++;
        }
      }
      for (let i = first; i < last; i++) {
        const list = index.ranks.subarray(index.starts[i], index.starts[i + 1]);
        total += list.length;
        if (total > MAX_RARE_RANKS) return null;
        lists.push(list);
      }
    }
    const ranks = new Set<number>();
    for (const list of lists)
      for (let i = firstAtLeast(list, from); i < list.length; i++) ranks.add(list[i] as number);
    return [...ranks].sort((a, b) => a - b);
  }

  /**
   * Each word of the entries' texts, in order, with the ranks of the movies holding it (word i's
   * are `ranks[starts[i]]` to `ranks[starts[i + 1]]`, ascending); built on first use, in flat
   * arrays (a list per word cost 11 MB and 0.3 s at 62k titles).
   */
  private rankIndex(): RankIndex {
    if (this.ranks) return this.ranks;
    // A text holds each word once (a movie listed twice under a word is merged in ranksHolding).
    const held = this.byPopularity.map((entry) => entry.text.split(" "));
    const counts = new Map<string, number>();
    for (const words of held)
      for (const word of words) if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
    const words = [...counts.keys()].sort();
    const place = new Map(words.map((word, i) => [word, i]));
    const starts = new Int32Array(words.length + 1);
    words.forEach((word, i) => {
      starts[i + 1] = (starts[i] as number) + (counts.get(word) as number);
    });
    const next = starts.slice(0, words.length);
    const ranks = new Int32Array(starts[words.length] as number);
    held.forEach((words, rank) => {
      for (const word of words) {
        const i = place.get(word);
        if (i === undefined) continue;
        ranks[next[i] as number] = rank;
        next[i] = (next[i] as number) + 1;
      }
    });
    this.ranks = { words, starts, ranks };
    return this.ranks;
  }
}

/** Each title's factor (by document number), valid where `run` holds the run asking for it. */
interface Factors {
  value: Float64Array;
  run: Int32Array;
  last: number;
}

/**
 * The best score of each title over a search's runs and readings (a Map, and a Set of the exact
 * matches for the typo pass, were a good part of the garbage a keystroke made). Titles scoring 0
 * or less are left out. A title's stamp is the generation negated once it is an exact match.
 */
class Merged extends StampedScores {
  /** Keeps `score` for `doc` if above its best so far (and above 0). */
  raise(doc: number, score: number): void {
    const stamp = this.stamp[doc] as number;
    if (stamp === this.generation || stamp === -this.generation) {
      if (score > (this.score[doc] as number)) this.score[doc] = score;
    } else if (score > 0) {
      this.stamp[doc] = this.generation;
      this.score[doc] = score;
      this.order[this.count++] = doc;
    }
  }

  /** Marks every title scored so far as an exact match. */
  markExact(): void {
    for (let i = 0; i < this.count; i++) this.stamp[this.order[i] as number] = -this.generation;
  }

  exact(doc: number): boolean {
    return this.stamp[doc] === -this.generation;
  }
}

/**
 * A word's letters (as bits) and length, mixed into one 32-bit number: two words of the same
 * letters and length have the same shape; two shapes alike otherwise only cost swaps a look-up.
 */
function shapeOf(word: string): number {
  return (letterSet(word) + Math.imul(word.length, 0x9e3779b1)) | 0;
}

/** Where the first word not before `prefix` is in an ascending list. */
function firstWordFrom(words: readonly string[], prefix: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((words[mid] as string) < prefix) low = mid + 1;
    else high = mid;
  }
  return low;
}

function suggestionOf(movie: Movie): Suggestion {
  return { movieId: movie.movieId, title: movie.title, year: movie.year, label: movieLabel(movie) };
}

/**
 * The places of the `limit` best of `count` candidates, best first (`before(a, b)`: a ranks above
 * b): a keystroke shows ten titles of the thousands a word can match, so the rest go unsorted.
 */
function bestPlaces(
  count: number,
  limit: number,
  before: (a: number, b: number) => boolean,
): number[] {
  const top: number[] = [];
  for (let i = 0; i < count; i++) {
    if (top.length >= limit) {
      if (!before(i, top[top.length - 1] as number)) continue;
      top.pop();
    }
    let at = top.length;
    while (at > 0 && before(i, top[at - 1] as number)) at--;
    top.splice(at, 0, i);
  }
  return top;
}

/** Index terms of a title or alternate title: its words, and the other ways people type them. */
function titleTerms(text: string): string[] {
  const words = indexTerms(text);
  return [...words, ...titleVariants(foldText(text), words)];
}

/** What a plan looks for in an entry's text (" the matrix 1999 "), built once per search. */
interface Needles {
  /** A title must hold each (" mat" for a prefix, " 2 " for a sequel number). */
  held: string[];
  /** Each bonus word and its needle (" the "). */
  bonus: { word: string; needle: string }[];
  /** A browse's first short word: a title starting so is lifted. */
  start: string | null;
  /** A browse's match: " mat" for its prefix, else " the " for each of its words. */
  browse: string[];
}

function needlesOf(plan: QueryPlan): Needles {
  const browse =
    plan.kind !== "browse"
      ? []
      : plan.prefix !== null
        ? [` ${plan.prefix}`]
        : plan.anyWord.map((word) => ` ${word} `);
  return {
    // A number of one or two digits is a sequel number ("mad max 2"), never the start of a year
    // (2015): it must be a whole word of the title.
    held: plan.prefixes.map((prefix) =>
      SEQUEL_NUMBER.test(prefix) ? ` ${prefix} ` : ` ${prefix}`,
    ),
    bonus: plan.bonusWords.map((word) => ({ word, needle: ` ${word} ` })),
    start: plan.kind === "browse" ? plan.prefix : null,
    browse,
  };
}

function browseMatch(entry: Entry, needles: Needles): boolean {
  for (const needle of needles.browse) if (entry.text.includes(needle)) return true;
  return false;
}

/**
 * Popularity times the bonuses a title earns. A title lacking a word that starts with each of the
 * plan's prefixes scores 0 (dropped), unless `relaxed`, when holding them only lifts it.
 */
function factor(entry: Entry, needles: Needles, relaxed = false): number {
  const { text, lead } = entry;
  let boost = entry.boost;
  for (const needle of needles.held) {
    if (text.includes(needle)) boost *= 1 + WORD_BONUS;
    else if (!relaxed) return 0;
  }
  for (const { word, needle } of needles.bonus) {
    if (text.includes(needle)) boost *= 1 + WORD_BONUS;
    if (lead === word) boost *= 1 + WORD_BONUS;
  }
  const start = needles.start;
  if (start !== null && entry.starts.some((w) => w.startsWith(start))) boost *= 1 + WORD_BONUS;
  return boost;
}
