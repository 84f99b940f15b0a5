import type { Movie } from "../catalog/movie.ts";

/**
 * Series read from titles: "Toy Story 2", "The Lord of the Rings: The Two Towers", "Harry Potter
 * and the Chamber of Secrets", "Die Hard: With a Vengeance", "Rocky IV". Each title (and each
 * alternate title MovieLens keeps, so "Raiders of the Lost Ark" joins Indiana Jones through "Indiana
 * Jones and the Raiders of the Lost Ark") gives keys: the whole title, the part before a colon or a
 * dash, the title without a trailing sequel number, and a "Name and the …" prefix of two words or
 * more, and another movie's whole title followed by more words. Movies that share a key form one series. Groups larger than MAX_SERIES are dropped: a key
 * shared by that many titles is a word, not a series.
 */
export const MAX_SERIES = 60;
/**
 * A title extended by more than this many others is a phrase ("The Man …"), not a series ("The
 * Matrix Reloaded", "The Matrix Revolutions").
 */
export const MAX_EXTENSIONS = 3;
/** Marks a key that says "this title extends another movie's title". */
const EXTENDS = "+";
/** Mark a whole title, and a numbered title's stem, without the leading article. */
const BARE_WHOLE = "#w:";
const BARE_STEM = "#s:";

function withoutArticle(title: string): string {
  return title.replace(/^(?:the|a|an) /, "");
}

const SEQUEL = new RegExp(
  "\\s+(?:part |chapter |episode |vol |volume )?(?:\\d{1,2}|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|" +
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)(?: 3d)?$",
);

export function seriesKeys(
  movie: Pick<Movie, "title" | "altTitles">,
  wholeTitles: ReadonlySet<string> = new Set(),
): string[] {
  const keys = new Set<string>();
  for (const name of [movie.title, ...movie.altTitles]) {
    const whole = normalize(name);
    if (!whole) continue;
    // "The Matrix Reloaded", "The Dark Knight Rises": another movie's whole title (two words or
    // more) followed by more words.
    const words = whole.split(" ");
    for (let n = 2; n < words.length; n++) {
      const prefix = words.slice(0, n).join(" ");
      if (wholeTitles.has(prefix)) keys.add(`${EXTENDS}${prefix}`);
    }
    const colon = /^(.+?)\s*(?::| - | – )\s*\S/.exec(name);
    const prefix = colon ? normalize(colon[1] as string) : null;
    // "The Terminator" and "Terminator 2": a numbered title's stem matches a whole title without
    // its article (only these two: "The Mission" must not join "Mission: Impossible").
    keys.add(`${BARE_WHOLE}${withoutArticle(whole)}`);
    for (const key of prefix ? [whole, prefix] : [whole]) {
      keys.add(key);
      const unnumbered = key.replace(SEQUEL, "");
      if (unnumbered && unnumbered !== key) {
        keys.add(unnumbered);
        keys.add(`${BARE_STEM}${withoutArticle(unnumbered)}`);
      }
    }
    const andThe = /^(.+?) (?:and|&) the /.exec(whole);
    if (andThe && (andThe[1] as string).includes(" ")) keys.add(andThe[1] as string);
  }
  keys.delete("");
  return [...keys];
}

/**
 * Series id per movie (index in `movies`), or -1 for a movie in no series. Union-find over shared
 * keys; ids are dense and deterministic for a given movie order.
 */
export function seriesOf(movies: readonly Pick<Movie, "title" | "altTitles">[]): Int32Array {
  const parent = Int32Array.from(movies, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (x: number, y: number) => {
    const a = find(x);
    const b = find(y);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const wholeTitles = new Set(
    movies.flatMap((m) => [m.title, ...m.altTitles].map(normalize)).filter((t) => t.includes(" ")),
  );
  const keysOf = movies.map((movie) => seriesKeys(movie, wholeTitles));
  const extensions = new Map<string, number>();
  for (const keys of keysOf) {
    for (const key of keys)
      if (key.startsWith(EXTENDS)) extensions.set(key, (extensions.get(key) ?? 0) + 1);
  }
  // The first movie with each bare stem: a bare whole title joins it, and only it (whole titles
  // never join each other this way).
  const stemOwner = new Map<string, number>();
  keysOf.forEach((keys, i) => {
    for (const key of keys)
      if (key.startsWith(BARE_STEM) && !stemOwner.has(key)) stemOwner.set(key, i);
  });
  const firstWithKey = new Map<string, number>();
  keysOf.forEach((keys, i) => {
    for (let key of keys) {
      // A bare whole title only meets bare stems: "Terminator 2" joins "The Terminator", but "The
      // Unforgiven" does not join "Unforgiven".
      if (key.startsWith(BARE_WHOLE)) {
        const owner = stemOwner.get(`${BARE_STEM}${key.slice(BARE_WHOLE.length)}`);
        if (owner !== undefined) union(owner, i);
        continue;
      }
      if (key.startsWith(EXTENDS)) {
        if ((extensions.get(key) as number) > MAX_EXTENSIONS) continue;
        key = key.slice(EXTENDS.length);
      }
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, i);
      else union(first, i);
    }
  });
  const size = new Int32Array(movies.length);
  for (let i = 0; i < movies.length; i++) size[find(i)] = (size[find(i)] as number) + 1;
  const idOfRoot = new Map<number, number>();
  const out = new Int32Array(movies.length).fill(-1);
  for (let i = 0; i < movies.length; i++) {
    const root = find(i);
    const n = size[root] as number;
    if (n < 2 || n > MAX_SERIES) continue;
    let id = idOfRoot.get(root);
    if (id === undefined) {
      id = idOfRoot.size;
      idOfRoot.set(root, id);
    }
    out[i] = id;
  }
  return out;
}

function normalize(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
