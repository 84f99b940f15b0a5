/**
 * Text folding shared by the embedded index and the search guard's cache key: people type
 * "amelie" for "Amélie" and "cite" for "Cité", so both sides fold accents and case the same way.
 */

// Letters NFKD does not decompose into a base letter plus a mark.
const LIGATURES: Record<string, string> = {
  æ: "ae",
  œ: "oe",
  ø: "o",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};
const LIGATURE = new RegExp(`[${Object.keys(LIGATURES).join("")}]`, "g");

// Printable ASCII has no accents, marks or ligatures to fold: lower case is all (most keystrokes).
const PLAIN = /^[ -~]*$/;

/** Lower case, accents stripped: "Cité des Enfants" → "cite des enfants". */
export function foldText(text: string): string {
  if (PLAIN.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(LIGATURE, (ch) => LIGATURES[ch] ?? ch);
}

const SEPARATOR = /[^\p{L}\p{N}']+/u;

/**
 * Words of an indexed title. A word with an apostrophe yields its joined form and its parts of two
 * letters or more, so "d'Amélie" is found by "amelie" and "damelie", and "Don't" by "dont" (the lone
 * "d" or "s" would match a quarter of the catalogue and help nobody).
 */
export function indexTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of foldText(text).split(SEPARATOR)) {
    if (!word.includes("'")) {
      if (word) terms.push(word);
      continue;
    }
    for (const part of word.split("'")) if (part.length > 1) terms.push(part);
    const joined = word.replaceAll("'", "");
    if (joined) terms.push(joined);
  }
  return terms;
}

/** Words of a typed query: apostrophes dropped, so "l'homme" looks up the joined form "lhomme". */
export function queryTerms(query: string): string[] {
  return foldText(query)
    .replaceAll("'", "")
    .split(SEPARATOR)
    .filter((term) => term !== "");
}

/** Leading articles: "The Matrix" also starts, for people typing, at "Matrix". */
export const ARTICLES = new Set(
  "the a an le la les l el los las il lo gli der die das den det het de un une una uno ein eine o os".split(
    " ",
  ),
);
