/**
 * A title query answered from MiniSearch's own index, with MiniSearch's own scores, at a keystroke's
 * cost. `MiniSearch.search` builds an object per matching title (the words it matched, in which
 * fields, its stored fields), merges those per query word, and sorts every match, when a keystroke
 * needs only each title's score and the top few: that was about 75 % of a keystroke's CPU on the
 * search thread (issue 18). Here scores add up in flat arrays indexed by MiniSearch's document
 * numbers, and a word after the first is scored only for the titles the earlier words found.
 *
 * The scores are MiniSearch 7's BM25 scores, summed in the same order of operations so that equal
 * scores tie as before, and the titles come in the order MiniSearch's merge meets them (its sort is
 * stable, so that order breaks ties). tests/core/search/index-searcher.test.ts compares both on
 * thousands of queries: a MiniSearch upgrade that changes its scoring or the internals read here
 * fails there.
 */
import type MiniSearch from "minisearch";
import type { Query, SearchOptions } from "minisearch";
import { bitCount, lookUpTyposWith, type TypoTerms } from "./typo-terms.ts";

/** One substantial word of a query, as the index is asked about it. */
export interface WordQuery {
  word: string;
  /** Words the typed one starts count too ("matr" → "matrix"); false for a joined reading's word. */
  prefix: boolean;
  /** Typos forgiven in the typo pass (0–2). */
  typos: number;
  /** Index words one swap of neighbouring letters away ("stroy" → "story"): alternatives, exact. */
  swaps: string[];
}

// Years are matched through bonus words, not as typed text: "200" must not expand to every
// release year of the 2000s.
const TEXT_FIELDS = ["title", "alt", "lead", "forms"];
// An exact word beats a completed prefix, which beats a typo.
const WEIGHTS = { prefix: 0.5, fuzzy: 0.3 };
// A swap of neighbouring letters found in the index ("stroy" → "story") counts less than the word
// as typed, but more than a fuzzy match: it is the commonest typo and costs one lookup per letter.
const SWAP_WEIGHT = 0.7;
const SWAP_BOOST = {
  title: 2 * SWAP_WEIGHT,
  alt: SWAP_WEIGHT,
  lead: SWAP_WEIGHT,
  forms: 2 * SWAP_WEIGHT,
};
/** Query words whose index words are kept, per generation (see RecentMap). */
const EXPANSIONS = 4000;
const WORD_OPTIONS: SearchOptions = {
  prefix: true,
  fuzzy: false,
  weights: WEIGHTS,
  fields: TEXT_FIELDS,
};

/**
 * The MiniSearch query that `IndexSearcher.search` answers: every word required, each as typed (or
 * completed, or within its typos when `typos`) or as one of its swaps. The searcher's answers equal
 * `MiniSearch.search` on this query; the tests hold it to that.
 */
export function miniSearchQuery(words: readonly WordQuery[], typos: boolean): Query {
  return {
    combineWith: "AND",
    queries: words.map((w) => {
      const typed: Query = {
        ...WORD_OPTIONS,
        prefix: w.prefix,
        fuzzy: typos && w.typos > 0 ? w.typos : false,
        queries: [w.word],
      };
      if (w.swaps.length === 0) return typed;
      const swaps: Query = {
        ...WORD_OPTIONS,
        prefix: false,
        fuzzy: false,
        boost: SWAP_BOOST,
        queries: w.swaps,
      };
      return { combineWith: "OR", queries: [typed, swaps] };
    }),
  };
}

/** How much a title's match counts (MiniSearch's boostDocument): 0 drops it. By document number. */
export type DocumentBoost = (doc: number) => number;

/** A query's matches: document numbers and scores, in the order MiniSearch ranks equal scores. */
export interface Hits {
  docs: Int32Array;
  scores: Float64Array;
}

/** Per field of the index: field (by number) → document number → how often the word occurs. */
type TermData = Map<number, Map<number, number>>;

type TreeNode = Map<string, TreeNode | TermData>;

/** The parts of MiniSearch (7.x) read here: its term tree and the BM25 statistics of its fields. */
interface Internals {
  _index: {
    get(term: string): TermData | undefined;
    atPrefix(prefix: string): Iterable<[string, TermData]>;
    /** The radix tree: a node maps the next letters to a node, and "" to its word's data. */
    _tree: TreeNode;
  };
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _nextId: number;
  _options: { searchOptions: { boost?: Record<string, number>; bm25: Bm25 } };
}

interface Bm25 {
  k: number;
  b: number;
  d: number;
}

/** Index words a query word matches (places in Terms), with the weight of each (see expansion). */
type Expansion = { place: number; weight: number }[];

/** What a search works in, one slot per document (see prepare). */
interface Tables {
  ids: unknown[];
  /** The accumulated AND, the word being scored, its swaps merged, and the swap being scored. */
  tallies: Tally[];
  /** boostDocument's answer per document during one search (stamped with `searches`). */
  boosts: Float64Array;
  boosted: Int32Array;
  terms: Terms;
}

/**
 * The index's words in the order its tree walks them (MiniSearch's `atPrefix` iterator), with
 * the documents holding each, in flat arrays. The tree's walk built a string per word it passed
 * and looked each word up letter by letter down the tree, and reading a word's documents walked a
 * Map per field: together about a fifth of a keystroke's CPU. The words starting with a prefix are
 * one subtree, so one run of this order, met in the order `atPrefix` meets them.
 */
interface Terms {
  words: string[];
  /**
   * The places sorted by word: where a word (placeOf) and a prefix's run (prefixRun) are found. A
   * Map of word to place took 2 MB and 20 ms to build at 62k titles.
   */
  sorted: Int32Array;
  /** Each word's data in MiniSearch, read into `docs` and `bm25` on the word's first use (read). */
  data: TermData[];
  /** Field count, and each field's length in words by document (MiniSearch's _fieldLength). */
  fields: number;
  lengths: Float64Array[];
  /**
   * Once `isRead[place]`, the word at `place` is held in field f by the documents
   * `docs[starts[place × (fields + 1) + f]]` up to `docs[starts[place × (fields + 1) + f + 1]]`,
   * in the order of MiniSearch's Map for them.
   */
  starts: Int32Array;
  isRead: Uint8Array;
  docs: Int32Array;
  /**
   * Each of those documents' BM25 part for the word in that field, computed as MiniSearch computes
   * it on every search: the same operations on the same numbers, so the same value to the bit.
   */
  bm25: Float64Array;
  /** Entries of `docs` and `bm25` in use, and how many all the words hold (339k at 62k titles). */
  used: number;
  total: number;
}

interface FieldBoost {
  field: number;
  boost: number;
}

/**
 * Per-document scores in flat arrays reused from one query to the next, with the order the
 * documents arrived in: a stamp per document says whether its entry belongs to the current use
 * (the generation), so clearing is one increment, not a fill. Garbage per keystroke (a Map, a
 * Set, result objects) was a good part of a search's cost.
 */
export class StampedScores {
  readonly score: Float64Array;
  readonly order: Int32Array;
  count = 0;
  /** The generation a document's entry belongs to (LocalMovieSearch's Merged also negates it). */
  protected readonly stamp: Int32Array;
  protected generation = 0;

  constructor(size: number) {
    this.score = new Float64Array(size);
    this.order = new Int32Array(size);
    this.stamp = new Int32Array(size);
  }

  /** Starts a new use: every entry is stale. Call before the first use, too. */
  clear(): void {
    this.count = 0;
    if (this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    this.generation++;
  }
}

/**
 * Scores of a set of documents, as MiniSearch's Map of result objects per query word would hold
 * them, and which query words each matched.
 */
class Tally extends StampedScores {
  /** Which query words (bits, see termBits) a document matched: its score is multiplied by their number. */
  readonly words: Int32Array;

  constructor(size: number) {
    super(size);
    this.words = new Int32Array(size);
    this.clear();
  }

  has(doc: number): boolean {
    return this.stamp[doc] === this.generation;
  }

  add(doc: number, score: number, words: number): void {
    if (this.stamp[doc] === this.generation) {
      this.score[doc] = (this.score[doc] as number) + score;
      this.words[doc] = (this.words[doc] as number) | words;
    } else {
      this.stamp[doc] = this.generation;
      this.score[doc] = score;
      this.words[doc] = words;
      this.order[this.count++] = doc;
    }
  }

  /** MiniSearch's OR: `other`'s documents merged in, the new ones after this set's own. */
  merge(other: Tally): void {
    for (let i = 0; i < other.count; i++) {
      const doc = other.order[i] as number;
      this.add(doc, other.score[doc] as number, other.words[doc] as number);
    }
  }
}

/** Answers WordQuery lists from a MiniSearch index that no longer changes. */
export class IndexSearcher {
  private readonly tree: Internals["_index"];
  private readonly fieldIds: Record<string, number>;
  private readonly inside: Internals;
  /** Made by `prepare`, or on the first search. */
  private tables: Tables | null = null;
  private readonly averages: number[];
  private readonly documentCount: number;
  private readonly bm25: Bm25;
  private readonly typedBoosts: FieldBoost[];
  private readonly swapBoosts: FieldBoost[];
  private searches = 0;
  private readonly expansions = new RecentMap<Expansion>(EXPANSIONS);

  private readonly index: MiniSearch<unknown>;
  /** The document number of each external id, for answers MiniSearch gives (made on first use). */
  private numbers: Map<unknown, number> | null = null;
  private readonly typos: () => TypoTerms;

  /**
   * `typos`: the index's words, for typo look-ups (built on the first). MiniSearch's own search, the
   * searcher's reference and its fallback, is set to find typos the same way, in the same order.
   */
  constructor(index: MiniSearch<unknown>, typos: () => TypoTerms) {
    this.index = index;
    let table: TypoTerms | null = null;
    this.typos = () => (table ??= typos());
    lookUpTyposWith(index, this.typos);
    const inside = index as unknown as Internals;
    if (
      typeof inside._index?.atPrefix !== "function" ||
      !(inside._index._tree instanceof Map) ||
      !(inside._fieldLength instanceof Map) ||
      !(inside._documentIds instanceof Map) ||
      typeof inside._nextId !== "number" ||
      !inside._options?.searchOptions?.bm25
    )
      throw new Error("IndexSearcher: MiniSearch's internals are not the 7.x ones it reads");
    this.tree = inside._index;
    this.fieldIds = inside._fieldIds;
    this.averages = inside._avgFieldLength;
    this.documentCount = inside._documentCount;
    this.bm25 = inside._options.searchOptions.bm25;
    this.inside = inside;
    const boosts = inside._options.searchOptions.boost ?? {};
    this.typedBoosts = this.fieldBoosts(TEXT_FIELDS, boosts);
    this.swapBoosts = this.fieldBoosts(TEXT_FIELDS, SWAP_BOOST);
  }

  /**
   * Makes the searcher's tables now: 30–50 ms at 62k titles, and the words in order (Terms) about
   * as much again, that a start need not wait for (the search thread calls this once it is ready),
   * nor the first keystroke.
   */
  prepare(): Tables {
    if (this.tables) return this.tables;
    const size = this.inside._nextId;
    const fieldCount = Object.keys(this.fieldIds).length;
    const lengths = Array.from({ length: fieldCount }, () => new Float64Array(size));
    for (const [doc, perField] of this.inside._fieldLength)
      perField.forEach((length, field) => {
        (lengths[field] as Float64Array)[doc] = length;
      });
    const ids: unknown[] = new Array(size).fill(undefined);
    for (const [doc, id] of this.inside._documentIds) ids[doc] = id;
    this.tables = {
      ids,
      tallies: Array.from({ length: 4 }, () => new Tally(size)),
      boosts: new Float64Array(size),
      boosted: new Int32Array(size),
      terms: this.terms(fieldCount, lengths),
    };
    return this.tables;
  }

  /** The index's words and postings in flat arrays (see Terms); `lengths` by field and document. */
  private terms(fields: number, lengths: Float64Array[]): Terms {
    const words: string[] = [];
    const data: TermData[] = [];
    walkTree(this.tree._tree, "", words, data);
    const sorted = Int32Array.from(words.keys()).sort((a, b) =>
      (words[a] as string) < (words[b] as string) ? -1 : 1,
    );
    let total = 0;
    for (const termData of data) for (const freqs of termData.values()) total += freqs.size;
    const size = Math.min(total, 4096);
    return {
      words,
      sorted,
      data,
      fields,
      lengths,
      starts: new Int32Array(words.length * (fields + 1)),
      isRead: new Uint8Array(words.length),
      docs: new Int32Array(size),
      bm25: new Float64Array(size),
      used: 0,
      total,
    };
  }

  /**
   * Reads the documents of the word at `place` into the flat arrays, once (see Terms). On first
   * use rather than in prepare: reading all of them took 60 ms at 62k titles, which a start's first
   * keystroke would wait for.
   */
  private read(terms: Terms, place: number): void {
    if (terms.isRead[place]) return;
    const termData = terms.data[place] as TermData;
    let size = 0;
    for (const freqs of termData.values()) size += freqs.size;
    if (terms.used + size > terms.docs.length) {
      const capacity = Math.min(terms.total, Math.max(terms.used + size, 2 * terms.docs.length));
      const docs = new Int32Array(capacity);
      const bm25 = new Float64Array(capacity);
      docs.set(terms.docs.subarray(0, terms.used));
      bm25.set(terms.bm25.subarray(0, terms.used));
      terms.docs = docs;
      terms.bm25 = bm25;
    }
    const { k, b, d } = this.bm25;
    const row = place * (terms.fields + 1);
    let at = terms.used;
    for (let field = 0; field < terms.fields; field++) {
      terms.starts[row + field] = at;
      const freqs = termData.get(field);
      if (freqs === undefined) continue;
      const matching = freqs.size;
      const average = this.averages[field] as number;
      const lengths = terms.lengths[field] as Float64Array;
      // MiniSearch's termResults for each document, as scoreData multiplied it before.
      const idf = Math.log(1 + (this.documentCount - matching + 0.5) / (matching + 0.5));
      for (const [doc, frequency] of freqs) {
        const length = lengths[doc] as number;
        terms.docs[at] = doc;
        terms.bm25[at] =
          idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / average)));
        at++;
      }
    }
    terms.starts[row + terms.fields] = at;
    terms.used = at;
    terms.isRead[place] = 1;
  }

  /** The external id (movieId) of each document number. */
  get ids(): readonly unknown[] {
    return this.prepare().ids;
  }

  /**
   * The documents matching every word (`typos`: within each word's typos too), with the scores
   * `MiniSearch.search(miniSearchQuery(words, typos), { boostDocument })` gives them, in the
   * order it meets them.
   */
  search(words: readonly WordQuery[], typos: boolean, boost: DocumentBoost): Hits {
    const bits = termBits(words);
    if (bits === null) return this.searchWithMiniSearch(words, typos, boost);
    const { tallies } = this.prepare();
    this.startSearch();
    // MiniSearch scores every word and then keeps the documents all of them matched (its AND):
    // scoring each later word only for the documents still in gives the same scores.
    let found: Tally | null = null;
    for (const word of words) {
      const [current, swaps, swap] = tallies.filter((t) => t !== found) as [Tally, Tally, Tally];
      current.clear();
      const bit = bits.get(word.word) as number;
      const wordTypos = typos ? word.typos : 0;
      this.scoreTerm(
        current,
        word.word,
        bit,
        word.prefix,
        wordTypos,
        this.typedBoosts,
        found,
        boost,
      );
      if (word.swaps.length > 0) {
        // MiniSearch merges the swaps with one another, then into the typed word (its OR): the
        // additions must happen in that order for the sums to be the same to the last bit.
        word.swaps.forEach((term, i) => {
          const into = i === 0 ? swaps : swap;
          into.clear();
          const swapBit = bits.get(term) as number;
          this.scoreTerm(into, term, swapBit, false, 0, this.swapBoosts, found, boost);
          if (i > 0) swaps.merge(swap);
        });
        current.merge(swaps);
      }
      if (found !== null) {
        // MiniSearch's AND: the later word's order, the earlier words' score first in the sum.
        for (let i = 0; i < current.count; i++) {
          const doc = current.order[i] as number;
          current.score[doc] = (found.score[doc] as number) + (current.score[doc] as number);
          current.words[doc] = (current.words[doc] as number) | (found.words[doc] as number);
        }
      }
      found = current;
      if (found.count === 0) break;
    }
    const docs = new Int32Array(found?.count ?? 0);
    const scores = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      const doc = (found as Tally).order[i] as number;
      docs[i] = doc;
      // MiniSearch multiplies a score by the number of query words (and swaps) matched.
      scores[i] =
        ((found as Tally).score[doc] as number) *
        (bitCount((found as Tally).words[doc] as number) || 1);
    }
    return { docs, scores };
  }

  /** A query with more distinct words and swaps than a bit set holds, asked of MiniSearch itself. */
  private searchWithMiniSearch(
    words: readonly WordQuery[],
    typos: boolean,
    boost: DocumentBoost,
  ): Hits {
    if (this.numbers === null)
      this.numbers = new Map(this.prepare().ids.map((id, doc) => [id, doc]));
    const numbers = this.numbers;
    const results = this.index.search(miniSearchQuery(words, typos), {
      boostDocument: (id) => boost(numbers.get(id) as number),
    });
    return {
      docs: Int32Array.from(results, (r) => numbers.get(r.id) as number),
      scores: Float64Array.from(results, (r) => r.score),
    };
  }

  /** The documents holding, in one of `fields`, a word that starts with `prefix`, in no order. */
  withPrefix(prefix: string, fields: readonly string[]): number[] {
    const { tallies, terms } = this.prepare();
    const tally = tallies[0] as Tally;
    tally.clear();
    const numbers = fields.map((field) => this.fieldIds[field] as number);
    const [start, end] = prefixRun(terms, prefix);
    for (let place = start; place < end; place++) {
      this.read(terms, place);
      for (const field of numbers) {
        const at = place * (terms.fields + 1) + field;
        for (let i = terms.starts[at] as number; i < (terms.starts[at + 1] as number); i++)
          tally.add(terms.docs[i] as number, 0, 0);
      }
    }
    return Array.from(tally.order.subarray(0, tally.count));
  }

  private fieldBoosts(fields: readonly string[], boosts: Record<string, number>): FieldBoost[] {
    return fields.map((field) => ({
      field: this.fieldIds[field] as number,
      boost: Object.hasOwn(boosts, field) ? (boosts[field] as number) || 1 : 1,
    }));
  }

  private startSearch(): void {
    if (this.searches === 0x7fffffff) {
      this.prepare().boosted.fill(0);
      this.searches = 0;
    }
    this.searches++;
  }

  /**
   * MiniSearch's executeQuerySpec: the word itself, then the words it starts (when `prefix`), then
   * those within `typos` edits that it does not start, each weighted by how far it is from the
   * word, into `into`. With `within`, only the documents `within` holds are scored.
   */
  private scoreTerm(
    into: Tally,
    word: string,
    bit: number,
    prefix: boolean,
    typos: number,
    fields: FieldBoost[],
    within: Tally | null,
    boost: DocumentBoost,
  ): void {
    for (const { place, weight } of this.expansion(word, prefix, typos))
      this.scoreData(into, place, weight, bit, fields, within, boost);
  }

  /**
   * The index words a query word stands for, with their weights, in MiniSearch's order. Kept for
   * the next queries: the readings of one query share most words, the typo pass repeats the
   * exact one's, and the next keystroke usually repeats all but the last word.
   */
  private expansion(word: string, prefix: boolean, typos: number): Expansion {
    // Kept by kind, then word: a key made of both was a new string to hash on every look-up.
    const kind = (prefix ? 3 : 0) + typos;
    const cached = this.expansions.get(kind, word);
    if (cached) return cached;
    const index = (this.tables as Tables).terms;
    let terms: Expansion;
    if (typos > 0) {
      terms = [...this.expansion(word, prefix, 0)];
      for (const { term, distance } of this.typos().within(word, typos)) {
        // A completion of the word was scored as one.
        if (prefix && term.startsWith(word)) continue;
        const place = placeOf(index, term);
        if (place === undefined) continue;
        this.read(index, place);
        terms.push({ place, weight: (WEIGHTS.fuzzy * term.length) / (term.length + distance) });
      }
    } else {
      const own = placeOf(index, word);
      if (own !== undefined) this.read(index, own);
      terms = own === undefined ? [] : [{ place: own, weight: 1 }];
      if (prefix) {
        const [start, end] = prefixRun(index, word);
        for (let place = start; place < end; place++) {
          const term = index.words[place] as string;
          const distance = term.length - word.length;
          if (distance === 0) continue;
          const weight = (WEIGHTS.prefix * term.length) / (term.length + 0.3 * distance);
          this.read(index, place);
          terms.push({ place, weight });
        }
      }
    }
    this.expansions.set(kind, word, terms);
    return terms;
  }

  /** MiniSearch's termResults: one index word's BM25 score in each field, for each document. */
  private scoreData(
    into: Tally,
    place: number,
    weight: number,
    bit: number,
    fields: FieldBoost[],
    within: Tally | null,
    boost: DocumentBoost,
  ): void {
    // The expansion read the word's documents (see read).
    const { starts, docs, bm25, fields: count } = (this.tables as Tables).terms;
    for (const { field, boost: fieldBoost } of fields) {
      const at = place * (count + 1) + field;
      const end = starts[at + 1] as number;
      // MiniSearch's product, term weight × term boost (1) × field boost × document boost × BM25,
      // multiplied left to right.
      const base = weight * fieldBoost;
      for (let i = starts[at] as number; i < end; i++) {
        const doc = docs[i] as number;
        if (within !== null && !within.has(doc)) continue;
        const docBoost = this.boostOf(doc, boost);
        if (!docBoost) continue;
        into.add(doc, base * docBoost * (bm25[i] as number), bit);
      }
    }
  }

  /** boostDocument, asked once per document and search (MiniSearch asks per word and field). */
  private boostOf(doc: number, boost: DocumentBoost): number {
    const { boosts, boosted } = this.tables as Tables;
    if (boosted[doc] === this.searches) return boosts[doc] as number;
    const value = boost(doc);
    boosts[doc] = value;
    boosted[doc] = this.searches;
    return value;
  }
}

/**
 * The values set or read lately, by kind (a small number) and word: up to `size` in the current
 * generation, and those of the one before, which a read brings back. An LRU's bookkeeping on every
 * read cost as much as the look-ups it saved (lru-cache: 7 % of a keystroke); two generations cost
 * two look-ups at most.
 */
class RecentMap<V> {
  private current: Map<string, V>[] = [];
  private previous: Map<string, V>[] = [];
  /** Entries in the current generation, all kinds together. */
  private count = 0;
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  get(kind: number, key: string): V | undefined {
    const value = this.current[kind]?.get(key);
    if (value !== undefined) return value;
    const old = this.previous[kind]?.get(key);
    if (old !== undefined) this.set(kind, key, old);
    return old;
  }

  set(kind: number, key: string, value: V): void {
    if (this.count >= this.size) {
      this.previous = this.current;
      this.current = [];
      this.count = 0;
    }
    let map = this.current[kind];
    if (map === undefined) {
      map = new Map();
      this.current[kind] = map;
    }
    if (!map.has(key)) this.count++;
    map.set(key, value);
  }
}

/**
 * MiniSearch's term tree in the order its iterator (`atPrefix`) walks it: a node's keys last
 * first, "" holding the data of the word that ends there. The iterator built each word's string
 * anew from the path, a third of the time it took to make Terms at 62k titles.
 */
function walkTree(node: TreeNode, prefix: string, words: string[], data: TermData[]): void {
  const keys = Array.from(node.keys());
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    const child = node.get(key);
    if (key === "") {
      words.push(prefix);
      data.push(child as TermData);
    } else walkTree(child as TreeNode, prefix + key, words, data);
  }
}

/** The first place in `terms.sorted` whose word is not before `word`. */
function firstSorted(terms: Terms, word: string): number {
  const { words, sorted } = terms;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((words[sorted[mid] as number] as string) < word) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The place of `word` in `terms.words`, if the index holds it. */
function placeOf(terms: Terms, word: string): number | undefined {
  const place = terms.sorted[firstSorted(terms, word)];
  return place !== undefined && terms.words[place] === word ? place : undefined;
}

/**
 * Where the words starting with `prefix` are in `terms.words`: [start, end). They are one run of
 * that order (one subtree of the index's tree), found through the sorted places.
 */
function prefixRun(terms: Terms, prefix: string): [number, number] {
  const { words, sorted } = terms;
  let start = words.length;
  let count = 0;
  for (let i = firstSorted(terms, prefix); i < sorted.length; i++) {
    const place = sorted[i] as number;
    if (!(words[place] as string).startsWith(prefix)) break;
    if (place < start) start = place;
    count++;
  }
  return count === 0 ? [0, 0] : [start, start + count];
}

/**
 * A bit for each distinct word and swap of a query: MiniSearch multiplies a title's score by the
 * number of distinct ones it matched. Null past 31.
 */
function termBits(words: readonly WordQuery[]): Map<string, number> | null {
  const bits = new Map<string, number>();
  for (const { word, swaps } of words)
    for (const term of [word, ...swaps])
      if (!bits.has(term)) {
        if (bits.size === 31) return null;
        bits.set(term, 1 << bits.size);
      }
  return bits;
}
