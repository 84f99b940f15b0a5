import type { Catalog } from "../core/catalog/catalog.ts";
import { SeededRandom } from "../scripts/synthetic/random.ts";

/**
 * What people type into an autocomplete box: growing prefixes of well-known titles, a typo in a
 * longer word, a title with its year, lower case and without accents. Deterministic per seed so
 * runs compare.
 */
export function suggestQueries(catalog: Catalog, count: number, seed = 1): string[] {
  const random = new SeededRandom(seed);
  const popular = byPopularity(catalog).slice(0, 2000);
  const queries: string[] = [];
  while (queries.length < count) {
    // Mostly popular titles, sometimes any title: people search for what they know.
    const movie =
      random.next() < 0.8
        ? popular[random.int(popular.length)]
        : catalog.movies[random.int(catalog.movies.length)];
    if (!movie) continue;
    const title = movie.title.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    const kind = random.next();
    if (kind < 0.55) {
      // As-you-type: every keystroke from 2 characters sends a query.
      const length = 2 + random.int(Math.max(1, title.length - 1));
      queries.push(title.slice(0, length));
    } else if (kind < 0.8) {
      queries.push(typo(title, random));
    } else if (movie.year) {
      queries.push(`${title.split(" ").slice(0, 2).join(" ")} ${movie.year}`);
    } else {
      queries.push(title);
    }
  }
  return queries;
}

/** One dropped or swapped letter in the longest word, as fast typists make. */
function typo(title: string, random: SeededRandom): string {
  const words = title.split(" ");
  let longest = 0;
  words.forEach((w, i) => {
    if (w.length > (words[longest] ?? "").length) longest = i;
  });
  const word = words[longest] ?? "";
  if (word.length < 5) return title;
  const at = 1 + random.int(word.length - 2);
  words[longest] =
    random.next() < 0.5
      ? word.slice(0, at) + word.slice(at + 1)
      : word.slice(0, at) + (word[at + 1] ?? "") + (word[at] ?? "") + word.slice(at + 2);
  return words.join(" ");
}

/**
 * Liked sets of 1–5 movies: a mix of popular films (what most people pick) and any rated film (the
 * long tail, where neighbours are few).
 */
export function likedSets(catalog: Catalog, count: number, seed = 2): number[][] {
  const random = new SeededRandom(seed);
  const ranked = byPopularity(catalog);
  const popular = ranked.slice(0, 300);
  const rated = ranked.filter((m) => catalog.statsOf(m.movieId).ratingCount > 0);
  const sets: number[][] = [];
  while (sets.length < count) {
    const size = 1 + random.int(5);
    const set = new Set<number>();
    while (set.size < size) {
      const pool = random.next() < 0.6 ? popular : rated;
      const movie = pool[random.int(pool.length)];
      if (movie) set.add(movie.movieId);
    }
    sets.push([...set]);
  }
  return sets;
}

function byPopularity(catalog: Catalog) {
  return [...catalog.movies].sort(
    (a, b) => catalog.statsOf(b.movieId).ratingCount - catalog.statsOf(a.movieId).ratingCount,
  );
}

/**
 * `count` distinct autocomplete queries (the mix of suggestQueries), so a cache of fewer entries
 * cannot serve the run from memory. Stops short when the titles hold fewer distinct prefixes.
 */
export function distinctSuggestQueries(catalog: Catalog, count: number, seed = 11): string[] {
  const random = new SeededRandom(seed);
  const titles = catalog.movies.map((m) => ({
    movie: m,
    title: m.title.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(),
  }));
  const folded = new Map(titles.map((t) => [t.movie, t]));
  const popular = byPopularity(catalog)
    .slice(0, 2000)
    .map((m) => folded.get(m) as (typeof titles)[number]);
  const seen = new Set<string>();
  for (let attempts = 0; seen.size < count && attempts < count * 50; attempts++) {
    // Half well-known titles, half any title: people search for what they know, and for the rest.
    const pool = random.next() < 0.5 ? popular : titles;
    const { movie, title } = pool[random.int(pool.length)] as (typeof titles)[number];
    const kind = random.next();
    let query: string;
    if (kind < 0.6) query = title.slice(0, 2 + random.int(Math.max(1, title.length - 1)));
    else if (kind < 0.85) query = typo(title, random).slice(0, 3 + random.int(title.length));
    else if (movie.year)
      query = `${title
        .split(" ")
        .slice(0, 1 + random.int(3))
        .join(" ")} ${movie.year}`;
    else query = title;
    query = query.trim();
    if (query.length >= 2) seen.add(query);
  }
  return [...seen];
}

/**
 * `count` distinct liked sets of 1–5 movies, each drawn from one rater's liked (or, failing that,
 * rated) movies in the ratings: picks people who exist would make together.
 */
export function distinctLikedSets(catalog: Catalog, count: number, seed = 12): number[][] {
  const random = new SeededRandom(seed);
  const { userIds, movieIds, values, length } = catalog.ratings;
  // Each user's ratings: the loader keeps the file's order, ratings grouped by user.
  const byUser = new Map<number, { liked: number[]; rated: number[] }>();
  for (let i = 0; i < length; i++) {
    const user = userIds[i] as number;
    let entry = byUser.get(user);
    if (!entry) {
      entry = { liked: [], rated: [] };
      byUser.set(user, entry);
    }
    const movie = movieIds[i] as number;
    if (!catalog.has(movie)) continue;
    entry.rated.push(movie);
    if ((values[i] as number) >= 0.8) entry.liked.push(movie);
  }
  const users = [...byUser.values()].filter((u) => u.rated.length > 0);
  const seen = new Set<string>();
  const sets: number[][] = [];
  for (let attempts = 0; sets.length < count && attempts < count * 50; attempts++) {
    const user = users[random.int(users.length)] as (typeof users)[number];
    const pool = user.liked.length > 0 ? user.liked : user.rated;
    const size = Math.min(pool.length, 1 + random.int(5));
    const set = new Set<number>();
    while (set.size < size) set.add(pool[random.int(pool.length)] as number);
    const key = [...set].sort((a, b) => a - b).join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push([...set]);
  }
  return sets;
}
