import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { SeededRandom, WeightedSampler } from "./random.ts";

/** The shape of MovieLens 25M, which the synthetic set copies at scale 1. */
export const ML25M = { ratings: 25_000_095, users: 162_541 } as const;

export interface SyntheticOptions {
  /** Directory to write movies.csv, links.csv and ratings.csv into. */
  outDir: string;
  /** A MovieLens movies.csv whose titles and genres are reused (ml-25m-movies.csv). */
  moviesFile: string;
  /** Optional MovieLens links.csv: real imdb/tmdb ids for the movies it lists (posters work). */
  linksFile?: string | undefined;
  /**
   * Optional real MovieLens ratings.csv: the movies it rates most lead the popularity ranking, so
   * the synthetic head is Forrest Gump and Pulp Fiction rather than random obscure titles.
   */
  popularityFile?: string | undefined;
  /** 1 = ml-25m size; 0.1 = a tenth of the ratings and users (all movies are kept). */
  scale: number;
  seed: number;
  /** Called as ratings are written: (written, total). */
  onProgress?: (written: number, total: number) => void;
}

export interface SyntheticSummary {
  movies: number;
  users: number;
  ratings: number;
}

/** MovieLens 25M ratings run from 1995 to late 2019. */
const FIRST_TIMESTAMP = 789_652_009;
const LAST_TIMESTAMP = 1_574_327_703;
/** Like MovieLens, every user has rated at least 20 movies. */
const MIN_PER_USER = 20;
/** Share of a user's ratings drawn from their favourite genre: the signal a recommender finds. */
const IN_TASTE_SHARE = 0.6;
/**
 * Zipf-like popularity: weight (rank + offset)^-exponent. Fitted to ml-25m's shape: the top movie
 * gets ~0.3% of all ratings (Forrest Gump's 81k), and about half the movies get fewer than 10.
 */
const ZIPF_OFFSET = 300;
const ZIPF_EXPONENT = 1.9;

/** Half stars 0.5..5, as MovieLens writes them. */
const STAR_TEXT = Array.from({ length: 10 }, (_, i) => ((i + 1) / 2).toFixed(1));

interface MovieRow {
  movieId: number;
  genres: string[];
}

function readMovieRows(file: string): MovieRow[] {
  const rows = parse(readFileSync(file), { bom: true, from_line: 2 }) as string[][];
  return rows
    .map((row) => ({
      movieId: Number(row[0]),
      genres: (row[2] ?? "").split("|").filter((g) => g !== "" && g !== "(no genres listed)"),
    }))
    .sort((a, b) => a.movieId - b.movieId);
}

function writeLinks(file: string, movies: MovieRow[], linksFile: string | undefined): void {
  const known = new Map<number, string>();
  if (linksFile && existsSync(linksFile)) {
    const rows = parse(readFileSync(linksFile), { bom: true, from_line: 2 }) as string[][];
    for (const row of rows) known.set(Number(row[0]), `${row[1] ?? ""},${row[2] ?? ""}`);
  }
  const lines = ["movieId,imdbId,tmdbId"];
  // Unknown ids stay empty rather than invented: an invented tmdbId would fetch a wrong poster.
  for (const m of movies) lines.push(`${m.movieId},${known.get(m.movieId) ?? ","}`);
  const stream = createWriteStream(file);
  stream.end(`${lines.join("\n")}\n`);
}

/**
 * Movie indices from most to least popular: those the real ratings file rates most first, by its
 * counts, then the rest in random order.
 */
function popularityOrder(
  movies: readonly MovieRow[],
  random: SeededRandom,
  popularityFile: string | undefined,
): number[] {
  const counts = new Map<number, number>();
  if (popularityFile && existsSync(popularityFile)) {
    const rows = parse(readFileSync(popularityFile), { bom: true, from_line: 2 }) as string[][];
    for (const row of rows) counts.set(Number(row[1]), (counts.get(Number(row[1])) ?? 0) + 1);
  }
  const indices = random.shuffle(Array.from({ length: movies.length }, (_, i) => i));
  const known = indices.filter((i) => counts.has((movies[i] as MovieRow).movieId));
  const unknown = indices.filter((i) => !counts.has((movies[i] as MovieRow).movieId));
  const count = (i: number) => counts.get((movies[i] as MovieRow).movieId) ?? 0;
  known.sort((a, b) => count(b) - count(a));
  return [...known, ...unknown];
}

/**
 * How many ratings each user gives: at least 20, long-tailed (log-normal) above that, scaled so the
 * total is exactly `ratings`.
 */
function userActivity(random: SeededRandom, users: number, ratings: number, cap: number) {
  const counts = new Int32Array(users);
  const raw = new Float64Array(users);
  let rawSum = 0;
  for (let u = 0; u < users; u++) {
    raw[u] = Math.exp(3.9 + 1.3 * random.normal());
    rawSum += raw[u] as number;
  }
  const extra = ratings - MIN_PER_USER * users;
  let total = 0;
  for (let u = 0; u < users; u++) {
    counts[u] = Math.min(cap, MIN_PER_USER + Math.round(((raw[u] as number) / rawSum) * extra));
    total += counts[u] as number;
  }
  // Rounding and the cap leave a small difference; spread it one rating at a time.
  while (total !== ratings) {
    const u = random.int(users);
    const c = counts[u] as number;
    if (total < ratings && c < cap) {
      counts[u] = c + 1;
      total++;
    } else if (total > ratings && c > MIN_PER_USER) {
      counts[u] = c - 1;
      total--;
    }
  }
  return counts;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/**
 * Writes a MovieLens-shaped dataset: the real titles and genres, synthetic users and ratings with
 * long-tailed item popularity and user activity, and taste clusters by genre (users prefer one
 * genre and rate it higher), so recommendations have something to find. Deterministic per seed.
 * Ratings stream out in userId order with backpressure, so memory stays flat at any scale.
 */
export async function generateSynthetic(options: SyntheticOptions): Promise<SyntheticSummary> {
  const { outDir, scale, seed } = options;
  if (!(scale > 0 && scale <= 1)) throw new Error(`scale must be in (0, 1], got ${scale}`);
  const random = new SeededRandom(seed);
  mkdirSync(outDir, { recursive: true });
  const movies = readMovieRows(options.moviesFile);
  // A plain copy, not copyFileSync: that keeps the source's read-only mode, and a rerun could not overwrite it.
  writeFileSync(join(outDir, "movies.csv"), readFileSync(options.moviesFile));
  writeLinks(join(outDir, "links.csv"), movies, options.linksFile);

  const users = Math.max(1, Math.round(ML25M.users * scale));
  const ratings = Math.max(users * MIN_PER_USER, Math.round(ML25M.ratings * scale));
  const n = movies.length;
  // No user rates more than a fifth of the catalogue, so drawing without replacement stays cheap.
  const cap = Math.max(MIN_PER_USER, Math.min(Math.floor(n / 5), 8000));
  if (cap * users < ratings) throw new Error("too few movies for that many ratings per user");

  const order = popularityOrder(movies, random, options.popularityFile);
  const weight = new Float64Array(n);
  const quality = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    weight[i] = (r + 1 + ZIPF_OFFSET) ** -ZIPF_EXPONENT;
    // Popular films are a little better liked, as in real data.
    quality[i] = 0.5 * random.normal() + 0.4 * (1 - r / n);
  }
  const everyone = new WeightedSampler(
    Int32Array.from({ length: n }, (_, i) => i),
    weight,
  );

  // Taste clusters: each movie belongs to one of its genres; each user favours one genre.
  const genreNames = [...new Set(movies.flatMap((m) => m.genres))].sort();
  const genreOf = new Int32Array(n);
  const members: number[][] = genreNames.map(() => []);
  movies.forEach((movie, i) => {
    const g =
      movie.genres.length === 0
        ? 0
        : genreNames.indexOf(movie.genres[random.int(movie.genres.length)] as string);
    genreOf[i] = g;
    members[g]?.push(i);
  });
  const byGenre = members.map(
    (list) =>
      new WeightedSampler(
        Int32Array.from(list),
        Float64Array.from(list, (i) => weight[i] as number),
      ),
  );
  const genreMass = Float64Array.from(members, (list) =>
    list.reduce((s, i) => s + (weight[i] as number), 0),
  );
  const tastes = new WeightedSampler(
    Int32Array.from(genreNames, (_, g) => g),
    genreMass,
  );

  const counts = userActivity(random, users, ratings, cap);
  const taken = new Uint8Array(n);
  const picked = new Int32Array(cap);
  const stream = createWriteStream(join(outDir, "ratings.csv"), { highWaterMark: 1 << 20 });
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  await write(stream, "userId,movieId,rating,timestamp\n");
  let written = 0;
  let chunk: string[] = [];
  for (let u = 0; u < users; u++) {
    const count = counts[u] as number;
    const taste = tastes.draw(random);
    const own = byGenre[taste] as WeightedSampler;
    const bias = 0.4 * random.normal();
    const start = FIRST_TIMESTAMP + random.int(LAST_TIMESTAMP - FIRST_TIMESTAMP - 86_400 * 30);
    for (let k = 0; k < count; k++) {
      let i: number;
      do {
        // Once the favourite genre is nearly exhausted, draw from everything.
        const fromOwn = random.next() < IN_TASTE_SHARE && k < own.size / 2;
        i = (fromOwn ? own : everyone).draw(random);
      } while (taken[i] === 1);
      taken[i] = 1;
      picked[k] = i;
    }
    // Movies are indexed in movieId order, so sorting indices sorts the user's rows by movieId,
    // the order MovieLens files use.
    const mine = picked.subarray(0, count).sort();
    for (const i of mine) taken[i] = 0;
    for (let k = 0; k < count; k++) {
      const i = mine[k] as number;
      const affinity = genreOf[i] === taste ? 0.7 : -0.2;
      const stars = 3.15 + bias + (quality[i] as number) + affinity + 0.8 * random.normal();
      // People give whole stars more often than half stars (ml-25m: ~70% whole).
      const step = random.next() < 0.4 ? 2 : 1;
      const half = Math.min(10, Math.max(1, Math.round((stars * 2) / step) * step));
      const timestamp = start + random.int(86_400 * 30);
      chunk.push(
        `${u + 1},${(movies[i] as MovieRow).movieId},${STAR_TEXT[half - 1]},${timestamp}\n`,
      );
    }
    written += count;
    if (chunk.length >= 50_000) {
      await write(stream, chunk.join(""));
      chunk = [];
      options.onProgress?.(written, ratings);
    }
  }
  stream.end(chunk.join(""));
  await finished;
  options.onProgress?.(written, ratings);
  return { movies: n, users, ratings: written };
}
