/**
 * MovieLens stores titles library-style: "Matrix, The (1999)", "City of Lost Children, The (Cité
 * des enfants perdus, La) (1995)", "Seven (a.k.a. Se7en) (1995)". People write "The Matrix".
 */
export interface ParsedTitle {
  title: string;
  altTitles: string[];
  year: number | null;
}

// Articles MovieLens moves to the end, in the languages its catalogue holds.
const ARTICLES = [
  "The",
  "A",
  "An",
  "Les",
  "La",
  "Le",
  "L'",
  "Il",
  "Lo",
  "I",
  "Gli",
  "Das",
  "Der",
  "Die",
  "Den",
  "Det",
  "El",
  "Los",
  "Las",
  "Un",
  "Une",
  "Una",
  "Uno",
  "Ein",
  "Eine",
  "O",
  "Os",
  "As",
  "De",
  "Het",
  "En",
  "Et",
];
const TRAILING_ARTICLE = new RegExp(`^(.*), (${ARTICLES.map(escapeRegExp).join("|")})$`);
const YEAR = /\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$/;
const AKA = /^(?:a\.k\.a\.|aka)\s+/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\']/g, "\\$&");
}

/** "Matrix, The" → "The Matrix"; "Homme qui aimait les femmes, L'" → "L'Homme qui aimait les femmes". */
export function frontArticle(title: string): string {
  const match = TRAILING_ARTICLE.exec(title.trim());
  if (!match) return title.trim();
  const [, rest, article] = match as unknown as [string, string, string];
  return article.endsWith("'") ? `${article}${rest}` : `${article} ${rest}`;
}

export function parseTitle(raw: string): ParsedTitle {
  let rest = raw.trim();
  let year: number | null = null;
  const yearMatch = YEAR.exec(rest);
  if (yearMatch) {
    year = Number(yearMatch[1]);
    rest = rest.slice(0, yearMatch.index).trim();
  }
  // Peel trailing parenthesised groups: alternate and original-language titles.
  const altTitles: string[] = [];
  for (;;) {
    const alt = /\s*\(([^()]+)\)\s*$/.exec(rest);
    if (!alt || alt.index === 0) break;
    const inner = (alt[1] as string).replace(AKA, "").trim();
    if (inner) altTitles.unshift(frontArticle(inner));
    rest = rest.slice(0, alt.index).trim();
  }
  return { title: frontArticle(rest), altTitles, year };
}
