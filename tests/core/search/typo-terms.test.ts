import SearchableMap from "minisearch/SearchableMap";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { indexTerms } from "../../../core/search/search-text.ts";
import { TypoTerms } from "../../../core/search/typo-terms.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

/**
 * TypoTerms stands in for MiniSearch's fuzzy look-up, so it must find exactly the words, at
 * exactly the distances, that MiniSearch's own walk of its term tree finds.
 */
let vocabulary: string[];
let tree: SearchableMap<true>;
let typos: TypoTerms;

beforeAll(async () => {
  const catalog = await loadMovieLens(MOVIELENS_DIR);
  const words = new Set<string>();
  for (const movie of catalog.movies)
    for (const text of [movie.title, ...movie.altTitles])
      for (const w of indexTerms(text)) words.add(w);
  // Words whose letter pairs repeat, and letters outside a–z, test the bounds' edge cases.
  for (const w of ["banana", "aaaaaaa", "abababab", "mississippi", "годзилла", "東京物語", "x"])
    words.add(w);
  vocabulary = [...words];
  tree = new SearchableMap<true>();
  for (const w of vocabulary) tree.set(w, true);
  typos = new TypoTerms(vocabulary);
});

/** What MiniSearch finds, the word itself left out (a typo look-up skips it). */
function minisearchFinds(word: string, max: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const [term, [, distance]] of tree.fuzzyGet(word, max))
    if (term !== word) found.set(term, distance);
  return found;
}

function typoTermsFinds(word: string, max: number): Map<string, number> {
  return new Map(typos.within(word, max).map(({ term, distance }) => [term, distance]));
}

/** Typing slips of one word: a letter dropped, doubled, swapped with the next, replaced. */
function slips(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) {
    out.push(word.slice(0, i) + word.slice(i + 1));
    out.push(word.slice(0, i) + word[i] + word.slice(i));
    out.push(word.slice(0, i) + (word[i + 1] ?? "") + word[i] + word.slice(i + 2));
    out.push(`${word.slice(0, i)}e${word.slice(i + 1)}`);
  }
  return out;
}

describe("TypoTerms", () => {
  it("finds what MiniSearch's fuzzy walk finds, at the same distances", () => {
    const queries = new Set<string>();
    // About 250 words of the catalogue, each with its slips: thousands of look-ups.
    const step = Math.max(1, Math.floor(vocabulary.length / 250));
    vocabulary.forEach((w, i) => {
      if (i % step === 0) for (const s of slips(w)) queries.add(s);
    });
    for (const w of ["banana", "mississippi", "годзила", "東京物", "zzzzzzzzzz", "ab", ""])
      queries.add(w);
    const differ: string[] = [];
    let found = 0;
    for (const word of queries) {
      for (const max of [1, 2]) {
        const [ours, theirs] = [typoTermsFinds(word, max), minisearchFinds(word, max)];
        found += theirs.size;
        const same =
          ours.size === theirs.size && [...ours].every(([term, d]) => theirs.get(term) === d);
        if (!same) differ.push(`${word} within ${max}: ${[...ours]} vs ${[...theirs]}`);
      }
    }
    expect(differ).toEqual([]);
    expect(queries.size).toBeGreaterThan(Math.min(1000, vocabulary.length * 5));
    expect(found).toBeGreaterThan(queries.size);
  });

  it("finds a title word from a typo and leaves the word itself out", () => {
    const [word] = vocabulary.filter((w) => /^[a-z]{7,}$/.test(w));
    expect(word).toBeDefined();
    const typo = `${(word as string).slice(0, 3)}${(word as string)[4]}${(word as string)[3]}${(word as string).slice(5)}`;
    expect(typos.within(typo, 2).map((t) => t.term)).toContain(word);
    expect(typos.within(word as string, 2).map((t) => t.term)).not.toContain(word);
  });
});
