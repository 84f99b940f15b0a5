import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { Catalog } from "../catalog/catalog.ts";
import type { Movie } from "../catalog/movie.ts";
import type { Ratings } from "../catalog/ratings.ts";
import { parseTitle } from "../catalog/title.ts";
import { MoviebotError } from "../errors.ts";
import { DataFileError, parseIntField, readCsv } from "./csv-table.ts";

/** The two layouts we read: the official MovieLens one and the course's BigQuery export. */
export interface MovieLensFiles {
  layout: "movielens" | "course";
  movies: string;
  links: string;
  ratings: string;
}

export interface LoadProgress {
  /** Bytes read so far and in all, across the three files. */
  onBytes?: (bytesRead: number, totalBytes: number) => void;
}

export function findMovieLensFiles(dir: string): MovieLensFiles {
  if (existsSync(join(dir, "movies.csv"))) {
    return {
      layout: "movielens",
      movies: join(dir, "movies.csv"),
      links: join(dir, "links.csv"),
      ratings: join(dir, "ratings.csv"),
    };
  }
  if (existsSync(join(dir, "ml-small-movies.csv"))) {
    return {
      layout: "course",
      movies: join(dir, "ml-small-movies.csv"),
      links: join(dir, "ml-small-links.csv"),
      ratings: join(dir, "ml-small-ratings.csv"),
    };
  }
  throw new MoviebotError(
    "data_malformed",
    `No MovieLens data in ${dir}: expected movies.csv, links.csv and ratings.csv (or the ml-small-*.csv variant).`,
  );
}

/**
 * Loads the whole dataset or throws: a malformed line anywhere aborts the load, so nothing is
 * ever served half-loaded.
 */
export async function loadMovieLens(dir: string, progress: LoadProgress = {}): Promise<Catalog> {
  const files = findMovieLensFiles(dir);
  for (const file of [files.movies, files.links, files.ratings]) {
    if (!existsSync(file)) throw new MoviebotError("data_malformed", `Missing data file ${file}`);
  }
  const totalBytes = [files.movies, files.links, files.ratings].reduce(
    (sum, f) => sum + statSync(f).size,
    0,
  );
  let bytesRead = 0;
  const onBytes = progress.onBytes
    ? (n: number) => {
        bytesRead += n;
        progress.onBytes?.(bytesRead, totalBytes);
      }
    : undefined;

  const [movies, links, ratings, checksum] = await Promise.all([
    readMovies(files.movies, onBytes),
    readLinks(files.links, onBytes),
    readRatings(files, onBytes),
    hashFiles([files.movies, files.links, files.ratings]),
  ]);
  for (const movie of movies) {
    const link = links.get(movie.movieId);
    if (link) {
      movie.imdbId = link.imdbId;
      movie.tmdbId = link.tmdbId;
    }
  }
  return new Catalog(movies, ratings, checksum);
}

/** SHA-256 over the files in order: the model cache's key, so new data means a new model. */
async function hashFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** Reads a movies.csv alone (the 62k-title ml-25m file has no ratings beside it). */
export function readMoviesFile(file: string): Promise<Movie[]> {
  return readMovies(file);
}

async function readMovies(file: string, onBytes?: (n: number) => void): Promise<Movie[]> {
  const movies: Movie[] = [];
  const seen = new Set<number>();
  for await (const row of readCsv(file, ["movieId", "title", "genres"], onBytes)) {
    const movieId = parseIntField(file, row, 0, "movieId");
    if (seen.has(movieId)) throw new DataFileError(file, row.line, `duplicate movieId ${movieId}`);
    seen.add(movieId);
    const rawTitle = (row.fields[1] ?? "").trim();
    if (!rawTitle) throw new DataFileError(file, row.line, "empty title");
    const genresText = (row.fields[2] ?? "").trim();
    const genres =
      genresText === "" || genresText === "(no genres listed)" ? [] : genresText.split("|");
    movies.push({ movieId, rawTitle, ...parseTitle(rawTitle), genres, imdbId: null, tmdbId: null });
  }
  return movies;
}

async function readLinks(
  file: string,
  onBytes?: (n: number) => void,
): Promise<Map<number, { imdbId: string | null; tmdbId: number | null }>> {
  const links = new Map<number, { imdbId: string | null; tmdbId: number | null }>();
  for await (const row of readCsv(file, ["movieId", "imdbId", "tmdbId"], onBytes)) {
    const movieId = parseIntField(file, row, 0, "movieId");
    const imdb = (row.fields[1] ?? "").trim();
    const tmdb = (row.fields[2] ?? "").trim();
    if (imdb !== "" && !/^\d+$/.test(imdb)) {
      throw new DataFileError(file, row.line, `imdbId must be digits, found "${imdb}"`);
    }
    links.set(movieId, {
      imdbId: imdb === "" ? null : imdb.padStart(7, "0"),
      tmdbId: tmdb === "" ? null : parseIntField(file, row, 2, "tmdbId"),
    });
  }
  return links;
}

async function readRatings(files: MovieLensFiles, onBytes?: (n: number) => void): Promise<Ratings> {
  const file = files.ratings;
  const course = files.layout === "course";
  const header = course
    ? ["userId", "movieId", "date", "rating_im"]
    : ["userId", "movieId", "rating", "timestamp"];
  const valueIndex = course ? 3 : 2;
  let capacity = 1 << 16;
  let userIds = new Int32Array(capacity);
  let movieIds = new Int32Array(capacity);
  let values = new Float32Array(capacity);
  let length = 0;
  for await (const row of readCsv(file, header, onBytes)) {
    if (length === capacity) {
      capacity *= 2;
      userIds = grow(userIds, capacity);
      movieIds = grow(movieIds, capacity);
      const v = new Float32Array(capacity);
      v.set(values);
      values = v;
    }
    userIds[length] = parseIntField(file, row, 0, "userId");
    movieIds[length] = parseIntField(file, row, 1, "movieId");
    const text = row.fields[valueIndex] ?? "";
    const raw = Number(text);
    // rating_im = rating / 5: MovieLens stars run 0.5..5, so rating_im runs 0.1..1.
    const value = course ? raw : raw / 5;
    if (text.trim() === "" || !Number.isFinite(raw) || value < 0.1 - 1e-9 || value > 1 + 1e-9) {
      throw new DataFileError(
        file,
        row.line,
        course
          ? `rating_im must be between 0.1 and 1, found "${text}"`
          : `rating must be between 0.5 and 5, found "${text}"`,
      );
    }
    values[length] = value;
    length++;
  }
  return {
    length,
    userIds: userIds.slice(0, length),
    movieIds: movieIds.slice(0, length),
    values: values.slice(0, length),
  };
}

function grow(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity);
  next.set(array);
  return next;
}
