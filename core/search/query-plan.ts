import type { WordQuery } from "./index-searcher.ts";
import { queryTerms } from "./search-text.ts";
import type { QueryReading } from "./title-forms.ts";

/**
 * How a typed query is answered. Only substantial words (three letters or more) go to the index,
 * all required; the rest would each match thousands of titles, so they refine what those words
 * found instead:
 * - linking words and articles ("the", "of", "la") and years ("heat 1995") lift titles holding them;
 * - words of up to three letters ("toy story 2", "star w", "dead man", "heat 199") keep only
 *   titles with a word (or year) starting so, and lift those holding the very word.
 * A query with no substantial word ("s", "the", "1995") matches a large share of the catalogue by
 * text alone; it is answered by walking the catalogue from the most-rated movie down (a browse).
 */
export type QueryPlan = TextPlan | BrowsePlan;

interface PlanBase {
  /** The folded words, as typed: the cache key of browse plans. */
  terms: string[];
  /** Each result must hold a word starting with each of these. */
  prefixes: string[];
  /** A result holding one of these words (or released that year) scores higher; more if its title starts with it. */
  bonusWords: string[];
}

export interface TextPlan extends PlanBase {
  kind: "text";
  /** The substantial words, each required: exact and prefix matches (index-searcher.ts). */
  words: WordQuery[];
  /**
   * Whether a word is long enough for typos to be allowed in the typo pass. That pass runs only
   * when the first finds nothing (or nothing well known): typo expansions of common words ("while"
   * → "white", "whale") cost more than the whole exact search, and a query that matches as typed
   * needs none.
   */
  typos: boolean;
}

export interface BrowsePlan extends PlanBase {
  kind: "browse";
  /**
   * The first short word ("s", "mat"): a result holds a word starting so, and one whose title starts
   * so ("Matrix", or "The Matrix" past its article) is lifted.
   */
  prefix: string | null;
  /** With no short word: a result holds one of these words exactly ("the", "1995"). */
  anyWord: string[];
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
// Words this short expand to too many index terms ("man": manhattan, mania, many…) to be worth
// a lookup; they filter what the longer words found instead.
const SHORT_LENGTH = 3;
// Fuzzy matching on short words turns "alie" into "alice", "allie", "ale": only words of five
// letters or more get one typo, and from seven letters two, so that a swap of neighbouring letters
// ("fcition", two edits for Levenshtein) is forgiven too.
const FUZZY_MIN_LENGTH = 5;
const FUZZY_TWO_LENGTH = 7;
export interface PlanOptions {
  /**
   * Index words one swap of neighbouring letters away from a typed word that the index does not
   * hold ("stroy" → ["story"]): looked up as alternatives of the word, exact.
   */
  swaps?: (word: string) => string[];
  /** Words to match exactly, not as prefixes (a joined reading's "braveheart"). */
  exact?: ReadonlySet<string>;
}

function wordQuery(word: string, options: PlanOptions): WordQuery {
  return {
    word,
    prefix: !options.exact?.has(word),
    typos: typoDistance(word),
    swaps: options.swaps?.(word) ?? [],
  };
}

function typoDistance(word: string): number {
  // Words with digits ("se7en", "1984") are typed on purpose: no typo tolerance for them.
  if (word.length < FUZZY_MIN_LENGTH || /\d/.test(word)) return 0;
  return word.length >= FUZZY_TWO_LENGTH ? 2 : 1;
}

/**
 * The plan for one reading of a query (title-forms.ts); a string is read as typed. Sequel markers
 * the reading made optional ("part" in "godfather part 2") only lift, like linking words.
 */
export function planQuery(
  input: string | QueryReading,
  options: PlanOptions = {},
): QueryPlan | null {
  const reading = typeof input === "string" ? { words: queryTerms(input), optional: [] } : input;
  const terms = [...new Set(reading.words)].slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  const soft = [
    ...terms.filter((t) => STOP_WORDS.has(t) || YEAR.test(t)),
    ...reading.optional.filter((t) => !terms.includes(t)),
  ];
  const short = terms.filter((t) => t.length <= SHORT_LENGTH && !soft.includes(t));
  const words = terms.filter((t) => !soft.includes(t) && !short.includes(t));
  const bonusWords = [...soft, ...short];

  if (words.length > 0) {
    return {
      kind: "text",
      terms,
      words: words.map((word) => wordQuery(word, options)),
      typos: words.some((w) => typoDistance(w) > 0),
      prefixes: short,
      bonusWords,
    };
  }
  const [first, ...others] = short;
  if (first === undefined) {
    return { kind: "browse", terms, prefix: null, anyWord: soft, prefixes: [], bonusWords };
  }
  return {
    kind: "browse",
    terms,
    prefix: first,
    anyWord: [],
    prefixes: others,
    // A lone letter as a word is an initial ("S.W.A.T."): "s" lifts nothing by itself.
    bonusWords: first.length === 1 ? bonusWords.filter((w) => w !== first) : bonusWords,
  };
}
