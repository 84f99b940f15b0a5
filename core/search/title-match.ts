import { ARTICLES, foldText, indexTerms } from "./search-text.ts";
import { numberForms, queryReadings, titleVariants } from "./title-forms.ts";

/**
 * How well a typed title matches a movie's title, from 0 (no word in common) to 1 (every word of
 * the title typed, none mistyped), whichever search backend found it: what decides whether a
 * typed title may be used without asking ("toy stroy" → Toy Story, yes; "xyz wars" → ?).
 *
 * Per reading of the query (title-forms.ts: "lotr" is also "lord of the rings") and per name of
 * the movie (display or alternate title): 0.8 × the share of typed words found in the name (a
 * completed last word 0.9, one typo 0.75, two 0.5) + 0.2 × the share of the name's words typed.
 */
export interface MatchableMovie {
  title: string;
  altTitles: readonly string[];
  year: number | null;
}

const PREFIX_SCORE = 0.9;
const TYPO_SCORES = [1, 0.75, 0.5];
// Words that say little about which title is meant, left out of both shares.
const MINOR = new Set([...ARTICLES, "of", "and", "in", "on", "to", "at", "for", "with", "by", "&"]);

export function matchQuality(typed: string, movie: MatchableMovie): number {
  const names = [movie.title, ...movie.altTitles];
  let best = 0;
  for (const reading of queryReadings(typed)) {
    const words = reading.words.filter((w) => !MINOR.has(w));
    if (words.length === 0) continue;
    for (const name of names) best = Math.max(best, nameQuality(words, name, movie.year));
  }
  return Math.round(best * 1000) / 1000;
}

function nameQuality(words: readonly string[], name: string, year: number | null): number {
  const own = indexTerms(name).filter((w) => !MINOR.has(w));
  // Each term a typed word may hit, with the title words it stands for: "2" for "II", "spiderman"
  // for "spider" and "man"; other variants ("seven" for "Se7en") stand for no word in particular.
  const stands = new Map<string, string[]>(own.map((w) => [w, [w]]));
  own.forEach((word, i) => {
    for (const form of numberForms(word)) stands.set(form, [word]);
    const next = own[i + 1];
    if (next !== undefined) stands.set(word + next, [word, next]);
  });
  for (const variant of titleVariants(foldText(name), indexTerms(name)))
    if (!stands.has(variant)) stands.set(variant, []);
  const all = [...stands.keys()];
  const covered = new Set<string>();
  let found = 0;
  words.forEach((word, i) => {
    if (year !== null && word === String(year)) {
      found += 1;
      return;
    }
    const last = i === words.length - 1;
    let score = 0;
    let hit: string | null = null;
    for (const term of all) {
      const s =
        term === word
          ? 1
          : last && word.length >= 2 && term.startsWith(word)
            ? PREFIX_SCORE
            : typoScore(word, term);
      if (s > score) {
        score = s;
        hit = term;
      }
    }
    found += score;
    for (const word of hit === null ? [] : (stands.get(hit) ?? [])) covered.add(word);
  });
  const typedShare = found / words.length;
  const nameShare = own.length === 0 ? 1 : own.filter((w) => covered.has(w)).length / own.length;
  return 0.8 * typedShare + 0.2 * nameShare;
}

/** 0.75 one edit away (a swap of neighbours counts as one), 0.5 two; 0 otherwise or for short words. */
function typoScore(word: string, term: string): number {
  if (word.length < 4 || Math.abs(word.length - term.length) > 2) return 0;
  const distance = editDistance(word, term, 2);
  return TYPO_SCORES[distance] ?? 0;
}

/** Damerau–Levenshtein (optimal string alignment), stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (rows[i - 1]?.[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (rows[i - 1]?.[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    rows.push(row);
    if (i > 0 && rowMin > max) return max + 1;
  }
  return rows[a.length]?.[b.length] ?? max + 1;
}
