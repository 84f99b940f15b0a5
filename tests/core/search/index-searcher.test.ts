import MiniSearch from "minisearch";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import {
  type DocumentBoost,
  IndexSearcher,
  miniSearchQuery,
  type WordQuery,
} from "../../../core/search/index-searcher.ts";
import {
  type IndexedMovie,
  indexOptions,
  LocalMovieSearch,
} from "../../../core/search/local-movie-search.ts";
import { queryTerms } from "../../../core/search/search-text.ts";
import { TypoTerms } from "../../../core/search/typo-terms.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

/**
 * IndexSearcher answers from MiniSearch's internals (its term tree and field statistics) with
 * MiniSearch's own BM25 scores, so that suggestions stay the same to the last tie. These tests hold
 * it to `MiniSearch.search` on the search's own index: the same titles, the same scores to the last
 * bit, equal scores in the same order. A MiniSearch upgrade that changes its scoring, its merging
 * of query words or the internals read fails here.
 */
let index: MiniSearch<IndexedMovie>;
let searcher: IndexSearcher;
let vocabulary: string[];
let titles: string[];

beforeAll(async () => {
  const catalog = await loadMovieLens(MOVIELENS_DIR);
  // The index as the search builds it, read back from its snapshot form.
  const snapshot = LocalMovieSearch.fromCatalog(catalog).toSnapshot();
  index = MiniSearch.loadJS(snapshot.index, indexOptions());
  vocabulary = [...new Set(snapshot.entries.flatMap(([, , text]) => text.split(" ")))]
    .filter((w) => w !== "")
    .sort();
  searcher = new IndexSearcher(index as MiniSearch<unknown>, () => new TypoTerms(vocabulary));
  titles = catalog.movies.map((m) => m.title);
}, 60_000);

/** A fixed sequence of numbers in [0, 1): the same queries on every run. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

// Some titles dropped (0), the others scaled unevenly: boostDocument's two effects.
const boostOf = (id: number) => (id % 13 === 0 ? 0 : 1 + (id % 7) * 0.37);

function theirs(words: WordQuery[], typos: boolean): [unknown, number][] {
  return index
    .search(miniSearchQuery(words, typos), { boostDocument: (id) => boostOf(id as number) })
    .map((r) => [r.id, r.score]);
}

function ours(words: WordQuery[], typos: boolean): [unknown, number][] {
  const boost: DocumentBoost = (doc) => boostOf(searcher.ids[doc] as number);
  const { docs, scores } = searcher.search(words, typos, boost);
  const found = Array.from(docs, (doc, i) => [searcher.ids[doc], scores[i] as number] as const);
  // MiniSearch sorts by score, and its sort keeps equal scores in the order it met them.
  return [...found].sort((a, b) => b[1] - a[1]).map(([id, score]) => [id, score]);
}

/** Queries as people type them: title words cut short, slipped, joined with others' swaps. */
function queries(count: number): { words: WordQuery[]; typos: boolean }[] {
  const random = sequence(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const out: { words: WordQuery[]; typos: boolean }[] = [];
  while (out.length < count) {
    const terms = queryTerms(pick(titles)).filter((w) => w.length >= 4);
    if (terms.length === 0) continue;
    const words = terms.slice(0, 1 + Math.floor(random() * 3)).map((term): WordQuery => {
      let word =
        random() < 0.5 ? term.slice(0, Math.max(4, Math.ceil(term.length * random()))) : term;
      // A slip: a letter dropped or replaced.
      if (random() < 0.3) {
        const at = Math.floor(random() * word.length);
        word = word.slice(0, at) + (random() < 0.5 ? "e" : "") + word.slice(at + 1);
      }
      const swaps =
        random() < 0.25
          ? [pick(vocabulary), pick(vocabulary), term].slice(0, 1 + Math.floor(random() * 3))
          : [];
      return {
        word,
        prefix: random() < 0.85,
        typos: word.length >= 7 ? 2 : word.length >= 5 ? 1 : 0,
        swaps: [...new Set(swaps)],
      };
    });
    out.push({ words, typos: random() < 0.5 });
  }
  return out;
}

describe("IndexSearcher", () => {
  it("finds what MiniSearch.search finds, with the same scores, ties in the same order", () => {
    const differ: string[] = [];
    let matched = 0;
    let tied = 0;
    for (const { words, typos } of queries(1500)) {
      const [a, b] = [ours(words, typos), theirs(words, typos)];
      matched += b.length;
      tied += b.filter(([, s], i) => i > 0 && b[i - 1]?.[1] === s).length;
      if (JSON.stringify(a) !== JSON.stringify(b))
        differ.push(`${JSON.stringify({ words, typos })}: ${a.length} vs ${b.length}`);
    }
    expect(differ.slice(0, 5)).toEqual([]);
    // The comparison means something: many matches, and equal scores among them.
    expect(matched).toBeGreaterThan(10_000);
    expect(tied).toBeGreaterThan(100);
  });

  it("hands a query with more than 31 words and swaps to MiniSearch, with the same answer", () => {
    const words: WordQuery[] = vocabulary
      .filter((w) => w.length >= 5)
      .slice(0, 8)
      .map((word, i) => ({
        word: word.slice(0, 4),
        prefix: true,
        typos: 1,
        swaps: vocabulary.slice(100 + i * 4, 104 + i * 4),
      }));
    words.unshift({
      word: words[0]?.word ?? "",
      prefix: true,
      typos: 0,
      swaps: vocabulary.slice(0, 4),
    });
    expect(ours(words, true)).toEqual(theirs(words, true));
  });

  it("lists the titles holding a word that starts so, as a prefix search finds them", () => {
    for (const prefix of ["s", "the", "mat", "star", "zz", "19"]) {
      const found = index
        .search({ queries: [prefix], prefix: true, fuzzy: false, fields: ["title", "alt"] })
        .map((r) => r.id as number);
      const listed = searcher.withPrefix(prefix, ["title", "alt"]).map((doc) => searcher.ids[doc]);
      expect(new Set(listed)).toEqual(new Set(found));
      expect(listed).toHaveLength(found.length);
    }
  });
});
