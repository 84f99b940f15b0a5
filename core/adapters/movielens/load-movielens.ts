import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { Catalog } from "../../catalog/catalog.ts";
import type { Movie } from "../../catalog/movie.ts";
import type { Ratings } from "../../catalog/ratings.ts";
import { parseTitle } from "../../catalog/title.ts";
import { MoviebotError } from "../../errors.ts";
import { DataFileError, parseIntField, readCsv, readNumericCsv } from "./csv-table.ts";

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

/** The checksum `loadMovieLens` gives `catalog.checksum`, without reading the data into memory. */
export function hashMovieLensFiles(dir: string): Promise<string> {
  const files = findMovieLensFiles(dir);
  return hashFiles([files.movies, files.links, files.ratings]);
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
  // Sized from the file up front: doubling 25M-row arrays would briefly need three times the memory.
  let capacity = estimateRows(file);
  let userIds = new Int32Array(capacity);
  let movieIds = new Int32Array(capacity);
  let values = new Float32Array(capacity);
  let length = 0;
  await readNumericCsv(
    file,
    header,
    (rows, from, firstLine) => {
      if (length + rows.length > capacity) {
        capacity = Math.ceil((length + rows.length) * 1.25);
        userIds = grow(userIds, capacity);
        movieIds = grow(movieIds, capacity);
        values = growFloat(values, capacity);
      }
      for (let i = from; i < rows.length; i++) {
        const fields = rows[i] as string[];
        const userText = fields[0] as string;
        if (fields.length === 1 && userText === "") continue;
        const movieText = fields[1] as string;
        const text = fields[valueIndex] as string;
        const userId = Number(userText);
        const movieId = Number(movieText);
        const raw = Number(text);
        // rating_im = rating / 5: MovieLens stars run 0.5..5, so rating_im runs 0.1..1.
        const value = course ? raw : raw / 5;
        if (
          !(value >= 0.1 - 1e-9 && value <= 1 + 1e-9) ||
          !Number.isInteger(userId) ||
          !Number.isInteger(movieId) ||
          userText.trim() === "" ||
          movieText.trim() === "" ||
          text.trim() === ""
        ) {
          throw ratingError(file, firstLine + i, course, userText, movieText, text);
        }
        userIds[length] = userId;
        movieIds[length] = movieId;
        values[length] = value;
        length++;
      }
    },
    onBytes,
  );
  // Trim only when the estimate was well off: the sampled estimate is within a few percent, and a
  // few percent spare costs less than a second full copy at peak.
  const trim = capacity - length > capacity / 10;
  return {
    length,
    userIds: trim ? userIds.slice(0, length) : userIds.subarray(0, length),
    movieIds: trim ? movieIds.slice(0, length) : movieIds.subarray(0, length),
    values: trim ? values.slice(0, length) : values.subarray(0, length),
  };
}

function ratingError(
  file: string,
  line: number,
  course: boolean,
  userText: string,
  movieText: string,
  text: string,
): DataFileError {
  const wholeNumber = (t: string) => t.trim() !== "" && Number.isInteger(Number(t));
  if (!wholeNumber(userText)) {
    return new DataFileError(file, line, `userId must be a whole number, found "${userText}"`);
  }
  if (!wholeNumber(movieText)) {
    return new DataFileError(file, line, `movieId must be a whole number, found "${movieText}"`);
  }
  return new DataFileError(
    file,
    line,
    course
      ? `rating_im must be between 0.1 and 1, found "${text}"`
      : `rating must be between 0.5 and 5, found "${text}"`,
  );
}

/**
 * Rows in the file, from the line lengths of a few windows spread over it, with a little to spare.
 * Ratings are sorted by userId, so lines grow longer along the file: one window at the start
 * would undercount bytes per line.
 */
function estimateRows(file: string): number {
  const size = statSync(file).size;
  const window = Math.min(size, 1 << 14);
  const sample = Buffer.alloc(window);
  const fd = openSync(file, "r");
  let lines = 0;
  let bytes = 0;
  try {
    for (let k = 0; k < 8; k++) {
      const read = readSync(fd, sample, 0, window, Math.floor(((size - window) * k) / 7));
      for (let at = sample.indexOf(10); at !== -1 && at < read; at = sample.indexOf(10, at + 1)) {
        lines++;
      }
      bytes += read;
    }
  } finally {
    closeSync(fd);
  }
  if (lines === 0) return 1024;
  return Math.ceil((size / bytes) * lines * 1.01) + 1024;
}

function grow(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity);
  next.set(array);
  return next;
}

function growFloat(array: Float32Array<ArrayBuffer>, capacity: number): Float32Array<ArrayBuffer> {
  const next = new Float32Array(capacity);
  next.set(array);
  return next;
}
