import type { Query, SearchOptions } from "minisearch";
import { queryTerms } from "./search-text.ts";

/**
 * How a typed query becomes a MiniSearch query. Only substantial words (three letters or more) go
 * to the index, all required; the rest would each match thousands of titles, so they refine the
 * candidates those words found instead:
 * - linking words and articles ("the", "of", "la") and years ("heat 1995") lift titles holding them;
 * - one- and two-letter words ("toy story 2", "star w"), and unfinished years ("heat 199"), keep
 *   titles with a word (or year) starting so.
 * A query with no substantial word searches its first short word at the start of titles, or its
 * linking words and years exactly.
 */
export interface QueryPlan {
  /** The folded words, as typed: the cache key of short-only queries. */
  terms: string[];
  query: Query;
  /** Each result must hold a word starting with each of these. */
  prefixes: string[];
  /** A result holding one of these words (or released that year) scores higher. */
  bonusWords: string[];
  /**
   * True when no substantial word was typed. Such a query matches a large share of the catalogue
   * by text alone, so its results are ranked by popularity and bonus words first; and few such
   * queries exist, so their answers are cached.
   */
  shortOnly: boolean;
}

// Articles MovieLens moves to the end, and the linking words titles are full of.
const STOP_WORDS = new Set(
  (
    "the a an of and in on to at for with from by is it its " +
    "le la les l un une de des du d et en au aux " +
    "el los las lo il i di da del y e o " +
    "der die das den dem und ein eine"
  ).split(" "),
);
const YEAR = /^(?:18[89]\d|19\d\d|20[0-4]\d)$/;
// Typing stops meaning anything after a few words; bounding them bounds the work per keystroke.
const MAX_TERMS = 8;
const SHORT_LENGTH = 2;
// Fuzzy matching on short words turns "alie" into "alice", "allie", "ale": only words of five
// letters or more get one typo.
const FUZZY_MIN_LENGTH = 5;
/** A title that starts with a word typed alone ("the") leads those merely containing it. */
const LEAD_BONUS = 12;

// Years are matched through bonus words, not as typed text: "200" must not expand to every
// release year of the 2000s.
const TEXT_FIELDS = ["title", "alt", "lead"];

const WORD_OPTIONS: SearchOptions = {
  prefix: true,
  // Words with digits ("se7en", "1984") are typed on purpose: no typo tolerance for them.
  fuzzy: (term) => (term.length >= FUZZY_MIN_LENGTH && !/\d/.test(term) ? 1 : false),
  maxFuzzy: 1,
  // An exact word beats a completed prefix, which beats a typo.
  weights: { prefix: 0.5, fuzzy: 0.3 },
};

export function planQuery(text: string): QueryPlan | null {
  const terms = [...new Set(queryTerms(text))].slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  const soft = terms.filter((t) => STOP_WORDS.has(t) || YEAR.test(t));
  const short = terms.filter(
    (t) => (t.length <= SHORT_LENGTH || /^\d{3}$/.test(t)) && !soft.includes(t),
  );
  const words = terms.filter((t) => !soft.includes(t) && !short.includes(t));
  const bonusWords = [...soft, ...short];

  if (words.length > 0) {
    const query: Query = {
      combineWith: "AND",
      queries: words.map((word) => ({ ...WORD_OPTIONS, fields: TEXT_FIELDS, queries: [word] })),
    };
    return { terms, query, prefixes: short, bonusWords, shortOnly: false };
  }
  const [first, ...others] = short;
  if (first !== undefined) {
    const atStart: Query = { queries: [first], fields: ["lead"], prefix: true, fuzzy: false };
    // A lone letter as a word is an initial ("S.W.A.T."): "s" means titles starting with s.
    if (first.length === 1) {
      const bonus = bonusWords.filter((w) => w !== first);
      return { terms, query: atStart, prefixes: others, bonusWords: bonus, shortOnly: true };
    }
    const query: Query = { combineWith: "OR", queries: [atStart, exact(first)] };
    return { terms, query, prefixes: others, bonusWords, shortOnly: true };
  }
  const query: Query = {
    combineWith: "OR",
    queries: soft.flatMap((word) => [
      {
        queries: [word],
        fields: ["lead"],
        prefix: false,
        fuzzy: false,
        boostTerm: () => LEAD_BONUS,
      },
      exact(word),
    ]),
  };
  return { terms, query, prefixes: [], bonusWords, shortOnly: true };
}

function exact(word: string): Query {
  return { queries: [word], fields: ["title", "alt", "year"], prefix: false, fuzzy: false };
}
