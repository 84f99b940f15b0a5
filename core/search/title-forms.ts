/**
 * How people type titles, as data both search adapters share: the embedded index
 * (LocalMovieSearch) applies it to queries and titles, Elasticsearch applies the query side in
 * suggestRequest and the title side through the index's analysis settings (elasticsearch-mapping.ts
 * builds its synonym rules from these same tables). docs/search.md lists what is here.
 *
 * Numbers go both ways on the title side: "Rocky II" is indexed under "ii" and "2", "Toy Story 2"
 * under "2" and "ii", "Ocean's Eleven" under "eleven" and "11". The query keeps what was typed, so
 * "vi" still completes to "Village" while it also finds "Episode VI".
 */
import { ARTICLES, queryTerms } from "./search-text.ts";

/**
 * Short forms people type for well-known titles, with the words of the title they stand for. Kept
 * small on purpose: only forms common enough that a fan types them, each unambiguous as a title.
 * The typed form stays one reading of the query, so a title that holds the short form as a word
 * ("MIB") is found either way.
 */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  lotr: "lord of the rings",
  hp: "harry potter",
  potc: "pirates of the caribbean",
  mib: "men in black",
  xmen: "x men",
  spiderman: "spider man",
  et: "e t",
  t2: "terminator 2",
  t3: "terminator 3",
  esb: "empire strikes back",
  gotg: "guardians of the galaxy",
  hsm: "high school musical",
  mi: "mission impossible",
  tmnt: "teenage mutant ninja turtles",
};

/** Words written two ways in titles ("Dr." and "Doctor"): each typed form also reads as the other. */
export const SPELLINGS: Readonly<Record<string, string>> = {
  dr: "doctor",
  doctor: "dr",
  mr: "mister",
  mister: "mr",
  st: "saint",
  saint: "st",
  vs: "versus",
  versus: "vs",
};

/**
 * Short forms that are also ordinary words or initials in other titles ("et" is French for "and",
 * "mi" Italian for "me"): read as the title only when they are the whole query or lead it.
 */
const LEADING_ONLY = new Set(["et", "mi", "hp", "st"]);

/** Number words a title may spell out ("Ocean's Eleven", "Twelve Monkeys"), as digits. */
export const NUMBER_WORDS: Readonly<Record<string, string>> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  thirteen: "13",
  fourteen: "14",
  fifteen: "15",
  sixteen: "16",
  seventeen: "17",
  eighteen: "18",
  nineteen: "19",
  twenty: "20",
};

/** Ordinals a sequel may be named with ("Shrek the Third"): indexed under the number too. */
export const ORDINALS: Readonly<Record<string, string>> = {
  second: "2",
  third: "3",
  fourth: "4",
  fifth: "5",
  sixth: "6",
  seventh: "7",
  eighth: "8",
  ninth: "9",
  tenth: "10",
};

/** Words that announce a sequel number ("Part II", "Episode V", "Vol. 2"); optional when typed. */
export const SEQUEL_MARKERS = new Set(["part", "pt", "episode", "ep", "chapter", "vol", "volume"]);

// I to XXXIX: sequel numbers never go higher.
const ROMAN = /^(x{0,3})(ix|iv|v?i{0,3})$/;
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10 };

/** "iv" → 4; null when the word is not a roman numeral. */
export function romanValue(word: string): number | null {
  if (word === "" || !ROMAN.test(word)) return null;
  let total = 0;
  for (let i = 0; i < word.length; i++) {
    const value = ROMAN_VALUES[word[i] as string] ?? 0;
    const next = ROMAN_VALUES[word[i + 1] as string] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

/** Every roman numeral from 1 to 39 with its digits: what the Elasticsearch synonyms list. */
export function romanNumerals(): [string, string][] {
  const pairs: [string, string][] = [];
  const ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"];
  for (let tens = 0; tens < 4; tens++) {
    for (let unit = 0; unit < 10; unit++) {
      const numeral = "x".repeat(tens) + ones[unit];
      if (numeral) pairs.push([numeral, String(tens * 10 + unit)]);
    }
  }
  return pairs;
}

const SPELLED = new Map(Object.entries(NUMBER_WORDS).map(([word, digits]) => [digits, word]));
const ROMAN_OF = new Map(romanNumerals().map(([numeral, digits]) => [digits, numeral]));

/**
 * The other ways of writing a title word that is a number: "ii" → "2"; "2" → "ii", "two";
 * "eleven" → "11", "xi". Empty for other words.
 */
export function numberForms(word: string): string[] {
  const digits = /^\d+$/.test(word)
    ? String(Number(word))
    : // Own entries only: a word like "constructor" would find Object's through the prototype.
      ((Object.hasOwn(NUMBER_WORDS, word) ? NUMBER_WORDS[word] : undefined) ??
      (Object.hasOwn(ORDINALS, word) ? ORDINALS[word] : undefined) ??
      (romanValue(word) === null ? null : String(romanValue(word))));
  if (digits === null) return [];
  const forms = [digits, ROMAN_OF.get(digits), SPELLED.get(digits)];
  return [...new Set(forms.filter((f): f is string => f !== undefined && f !== word))];
}

function isNumber(word: string): boolean {
  return /^\d+$/.test(word) || numberForms(word).length > 0;
}

// Letters written as digits in a title ("Se7en", "S1m0ne", "Thr3e"): indexed read back as letters.
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "v" };

/**
 * Extra index terms for the words of one title, beyond the words themselves:
 * - a number is also indexed in its other forms ("II" → "2"; "2" → "ii", "two"; "Eleven" → "11");
 * - words joined by punctuation without a space are also indexed as one ("Spider-Man" →
 *   "spiderman", "WALL·E" → "walle", "E.T." → "et", "X-Men" → "xmen");
 * - letters written as digits are also indexed as letters ("Se7en" → "seven");
 * - a word of letters then digits ("X2") is also indexed as its parts.
 * `text` is the folded title; `words` its index terms in order.
 */
export function titleVariants(text: string, words: readonly string[]): string[] {
  const extra: string[] = [];
  for (const word of words) {
    extra.push(...numberForms(word));
    if (/\d/.test(word) && /[a-z]/.test(word)) {
      const letters = word.replace(/[0-9]/g, (d) => LEET[d] ?? d);
      if (!/\d/.test(letters)) extra.push(letters);
      const parts = /^([a-z]+)(\d+)$/.exec(word);
      if (parts) extra.push(parts[1] as string, parts[2] as string);
    }
  }
  // Runs of words glued by punctuation (no space): "spider-man", "wall·e", "e.t.", "x-men".
  for (const run of text.split(/\s+/)) {
    const parts = run.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== "");
    if (parts.length > 1 && !run.includes("'")) extra.push(parts.join(""));
  }
  return extra;
}

/** One way of reading a typed query: the words to look for, and the words that only lift. */
export interface QueryReading {
  /** Folded words, sequel markers left out. */
  words: string[];
  /** Sequel markers typed before a number ("part", "episode"): they lift a title holding them. */
  optional: string[];
  /** How this reading came about: the words as typed, or a rewrite of them. */
  kind: "typed" | "short form" | "spelling" | "joined" | "split";
}

const MAX_READINGS = 4;

/**
 * The readings of a typed query, the typed one first:
 * - a word and its number typed together are split ("terminator3" → "terminator 3");
 * - a sequel marker before a number becomes optional ("godfather part 2" finds "Part II" and "2";
 *   numbers match in any form because titles are indexed under all of them);
 * - a short form adds the reading of its title ("lotr" → "lord of the rings"), a word written two
 *   ways the other way ("dr" → "doctor");
 * - two typed words that may be one title word add the joined reading ("brave heart" →
 *   "braveheart").
 * Splitting a word typed as one ("toystory") needs the index's vocabulary: the adapters do that.
 */
export function queryReadings(text: string): QueryReading[] {
  const typed = queryTerms(text);
  if (typed.length === 0) return [];
  const readings: QueryReading[] = [canonical(typed, "typed")];
  for (const [table, kind] of REWRITES) {
    // Most queries hold no short form and no word spelled two ways: nothing to rewrite.
    if (!typed.some((word, i) => rewritable(table, word, i))) continue;
    const rewritten = typed.flatMap((word, i) =>
      rewritable(table, word, i) ? (table.get(word) as string).split(" ") : [word],
    );
    if (rewritten.join(" ") !== typed.join(" ")) readings.push(canonical(rewritten, kind));
  }
  // Joins: each pair of neighbouring words, at most one per reading, words of letters only.
  const base = readings[0] as QueryReading;
  for (let i = 0; i + 1 < base.words.length && readings.length < MAX_READINGS; i++) {
    const [a, b] = [base.words[i] as string, base.words[i + 1] as string];
    if (!joinable(a) || !joinable(b) || a.length + b.length < 4) continue;
    readings.push({
      words: [...base.words.slice(0, i), a + b, ...base.words.slice(i + 2)],
      optional: base.optional,
      kind: "joined",
    });
  }
  return readings;
}

// As Maps: own entries only ("constructor" would find Object's through an object's prototype, and
// throw), and quicker to ask than an object whose keys are any string.
const REWRITES = [
  [new Map(Object.entries(SHORT_FORMS)), "short form"],
  [new Map(Object.entries(SPELLINGS)), "spelling"],
] as const;

/** Whether the `i`th typed word reads another way by `table`. */
function rewritable(table: ReadonlyMap<string, string>, word: string, i: number): boolean {
  return table.has(word) && !(LEADING_ONLY.has(word) && i > 0);
}

// An article or linking word is its own word: "the m" is not "them", "of" not the end of "proof".
const UNJOINABLE = new Set([...ARTICLES, "of", "and", "in", "on", "to", "at", "for", "by", "is"]);

function joinable(word: string): boolean {
  return /^[a-z]+$/.test(word) && !UNJOINABLE.has(word);
}

function canonical(words: readonly string[], kind: QueryReading["kind"]): QueryReading {
  const out: string[] = [];
  const optional: string[] = [];
  const split = words.flatMap((word) => {
    // "terminator3", "alien3": a title word and its sequel number typed without the space.
    const glued = /^([a-z]{2,})(\d{1,2})$/.exec(word);
    return glued ? [glued[1] as string, glued[2] as string] : [word];
  });
  split.forEach((word, i) => {
    const next = split[i + 1];
    if (SEQUEL_MARKERS.has(word) && next !== undefined && isNumber(next)) optional.push(word);
    else out.push(word);
  });
  return { words: out, optional, kind };
}
