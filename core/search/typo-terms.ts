/**
 * The index words a few typos away from a typed word: the same words, at the same Levenshtein
 * distances, that MiniSearch's `fuzzy` option finds, found faster. MiniSearch walks its whole
 * radix tree with an edit-distance matrix; at two typos nearly every node of a word's first
 * letters is within reach, so a walk cost 0.9 ms over ml-latest-small's 10k words and 4 ms over
 * the 62k titles' 37k (issue 18: the largest share of a keystroke's CPU).
 *
 * Here the words are filtered before any distance is measured, by two bounds that never drop a
 * word within reach (the q-gram lemma): an edit breaks at most two pairs of neighbouring letters,
 * so a word `max` edits away holds all but `2 × max` of the typed word's pairs, counted over a
 * list of the words holding each pair; and an edit brings in at most one letter, so each side has
 * at most `max` letters the other lacks. The few dozen words left are measured exactly.
 */
import type MiniSearch from "minisearch";

export interface TypoTerm {
  term: string;
  distance: number;
}

export class TypoTerms {
  /** Words sorted by length; `starts[n]` is the first of length n. */
  private readonly words: string[];
  private readonly letters: Int32Array;
  private readonly starts: Int32Array;
  /** For each pair of neighbouring letters, the words (their places in `words`) holding it. */
  private readonly pairs = new Map<number, Int32Array>();
  /** Shared pairs per word during one look-up; zero again after it. */
  private readonly shared: Uint16Array;
  /** The words a look-up touched, in the order it met them. */
  private readonly touched: Int32Array;
  private readonly row: Int32Array;
  private readonly previous: Int32Array;

  constructor(vocabulary: Iterable<string>) {
    this.words = [...vocabulary].filter((w) => w !== "").sort((a, b) => a.length - b.length);
    const longest = this.words.at(-1)?.length ?? 0;
    this.letters = Int32Array.from(this.words, letterSet);
    this.starts = new Int32Array(longest + 2);
    let at = 0;
    for (let length = 0; length <= longest + 1; length++) {
      while (at < this.words.length && (this.words[at] as string).length < length) at++;
      this.starts[length] = at;
    }
    const lists = new Map<number, number[]>();
    this.words.forEach((word, id) => {
      for (const pair of new Set(pairsOf(word))) {
        let list = lists.get(pair);
        if (!list) {
          list = [];
          lists.set(pair, list);
        }
        list.push(id);
      }
    });
    for (const [pair, list] of lists) this.pairs.set(pair, Int32Array.from(list));
    this.shared = new Uint16Array(this.words.length);
    this.touched = new Int32Array(this.words.length);
    this.row = new Int32Array(longest + 3);
    this.previous = new Int32Array(longest + 3);
  }

  /** Index words at most `max` edits (insert, delete, replace) from `word`, other than itself. */
  within(word: string, max: number): TypoTerm[] {
    const longest = this.starts.length - 2;
    const from = this.starts[Math.max(0, Math.min(longest + 1, word.length - max))] as number;
    const to = this.starts[Math.max(0, Math.min(longest + 1, word.length + max + 1))] as number;
    const own = distinctPairs(word);
    const letters = letterSet(word);
    // An edit breaks at most two pairs, so a word within reach lacks at most 2 × max of them.
    const needed = own.length - 2 * max;
    const found: TypoTerm[] = [];
    if (needed <= 0) {
      for (let id = from; id < to; id++) this.measure(word, letters, id, max, found);
      return found;
    }
    // Hundreds of words share a pair with the typed one, a few dozen enough of them: the words
    // touched go to a table kept between look-ups rather than a new array each time.
    const touched = this.touched;
    const shared = this.shared;
    let count = 0;
    for (const pair of own) {
      const list = this.pairs.get(pair);
      if (!list) continue;
      for (let i = firstAtLeast(list, from); i < list.length; i++) {
        const id = list[i] as number;
        if (id >= to) break;
        const seen = shared[id] as number;
        if (seen === 0) touched[count++] = id;
        shared[id] = seen + 1;
      }
    }
    for (let i = 0; i < count; i++) {
      const id = touched[i] as number;
      if ((shared[id] as number) >= needed) this.measure(word, letters, id, max, found);
      shared[id] = 0;
    }
    return found;
  }

  private measure(word: string, own: number, id: number, max: number, found: TypoTerm[]): void {
    const theirs = this.letters[id] as number;
    if (bitCount(own & ~theirs) > max || bitCount(theirs & ~own) > max) return;
    const term = this.words[id] as string;
    if (term === word) return;
    const distance = this.distance(word, term, max);
    if (distance <= max) found.push({ term, distance });
  }

  /**
   * Levenshtein distance, or `max + 1` once it must exceed `max`. Only the band of cells within
   * `max` of the diagonal is computed: any cell further off is more than `max` (it takes that many
   * insertions or deletions to get there), and counting it as `max + 1` changes no distance up to
   * `max`.
   */
  private distance(a: string, b: string, max: number): number {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    const over = max + 1;
    let previous = this.previous;
    let row = this.row;
    for (let j = 0; j <= b.length; j++) previous[j] = j <= max ? j : over;
    for (let i = 1; i <= a.length; i++) {
      const low = Math.max(1, i - max);
      const high = Math.min(b.length, i + max);
      row[low - 1] = low === 1 ? i : over;
      let best = row[low - 1] as number;
      const char = a.charCodeAt(i - 1);
      for (let j = low; j <= high; j++) {
        const replace = (previous[j - 1] as number) + (char === b.charCodeAt(j - 1) ? 0 : 1);
        const value = Math.min(replace, (previous[j] as number) + 1, (row[j - 1] as number) + 1);
        row[j] = value;
        if (value < best) best = value;
      }
      if (best > max) return over;
      // The next row reads this cell, just past the band.
      if (high < b.length) row[high + 1] = over;
      const swap = previous;
      previous = row;
      row = swap;
    }
    return previous[b.length] as number;
  }
}

/** Each pair of neighbouring letters as one number (two UTF-16 code units). */
function pairsOf(word: string): number[] {
  const pairs: number[] = [];
  for (let i = 0; i + 1 < word.length; i++)
    pairs.push(word.charCodeAt(i) * 0x10000 + word.charCodeAt(i + 1));
  return pairs;
}

/** A word's pairs of neighbouring letters, each once, in the order they first occur. */
function distinctPairs(word: string): number[] {
  const pairs: number[] = [];
  for (let i = 0; i + 1 < word.length; i++) {
    const pair = word.charCodeAt(i) * 0x10000 + word.charCodeAt(i + 1);
    if (!pairs.includes(pair)) pairs.push(pair);
  }
  return pairs;
}

/**
 * The first place in an ascending list holding `value` or more. Ids only: one generic search over
 * these and the sorted word lists measured twice as slow per call (the loads turn polymorphic).
 */
export function firstAtLeast(list: Int32Array, value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The letters of a word as bits: a–z one each, other characters folded onto the last six. */
export function letterSet(word: string): number {
  let set = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    set |= 1 << (code >= 97 && code <= 122 ? code - 97 : 26 + (code % 6));
  }
  return set;
}

/** The number of bits set in a 32-bit integer (SWAR). */
export function bitCount(bits: number): number {
  let n = bits >>> 0;
  n -= (n >>> 1) & 0x55555555;
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The part of MiniSearch's term tree a typo look-up uses (its SearchableMap). */
interface TermTree<T> {
  get(term: string): T | undefined;
  fuzzyGet(term: string, max: number): Map<string, [T, number]>;
}

/**
 * Has a MiniSearch index find typo matches through `typos` instead of its tree walk. MiniSearch
 * asks its term tree (the protected `_index`, a SearchableMap) for the terms within reach of each
 * fuzzy query word; this answers with the same terms and distances, so searches score as before
 * (tests/core/search/typo-terms.test.ts compares the two). `typos` is called on the first typo
 * look-up, so building its tables (a few dozen ms at 62k titles) does not delay a start.
 */
export function lookUpTyposWith<T>(index: MiniSearch<T>, build: () => TypoTerms): void {
  const tree = (index as unknown as { _index: TermTree<unknown> })._index;
  let typos: TypoTerms | null = null;
  tree.fuzzyGet = (term, max) => {
    typos ??= build();
    const found = new Map<string, [unknown, number]>();
    const own = tree.get(term);
    if (own !== undefined) found.set(term, [own, 0]);
    for (const { term: near, distance } of typos.within(term, max)) {
      const data = tree.get(near);
      if (data !== undefined) found.set(near, [data, distance]);
    }
    return found;
  };
}
