import { createHash } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { MoviebotError } from "../../errors.ts";
import { findMovieLensFiles } from "./load-movielens.ts";

export interface EnsureMovieLensOptions {
  /** Where the data lives (or will): the folder holding movies.csv, links.csv and ratings.csv. */
  dir: string;
  /** The ml-latest-small.zip address; GroupLens publishes `<url>.md5` beside it. */
  url: string;
  /** Bytes of the zip received so far, and in all when the server says (else null). */
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

// The MovieLens licence forbids redistributing the data, so each installation fetches its own
// copy from GroupLens. Only what the loader reads is kept (no tags, no README).
const WANTED = new Set(["movies.csv", "links.csv", "ratings.csv"]);

/** True when dir holds a readable MovieLens layout (either variant). */
export function hasMovieLensData(dir: string): boolean {
  try {
    const files = findMovieLensFiles(dir);
    return [files.movies, files.links, files.ratings].every((file) => existsSync(file));
  } catch {
    return false;
  }
}

/**
 * Returns dir once it holds the data, downloading ml-latest-small first when it does not. The zip is
 * checked against GroupLens's MD5 and unpacked into a temporary folder beside dir, which is then
 * renamed into place: a failed or interrupted download never leaves a half-filled dir behind.
 */
export async function ensureMovieLens(options: EnsureMovieLensOptions): Promise<string> {
  const { dir, url } = options;
  if (hasMovieLensData(dir)) return dir;

  const parent = dirname(dir);
  // The first folder mkdir creates, if any: removed again when the download fails and leaves it
  // empty, so a failed first start does not leave an empty data/ behind.
  const created = await mkdir(parent, { recursive: true });
  const work = await mkdtemp(join(parent, `.${basename(dir)}-download-`));
  let done = false;
  try {
    const expectedMd5 = await fetchMd5(`${url}.md5`, options.signal);
    const zipPath = join(work, "movielens.zip");
    const actualMd5 = await downloadTo(url, zipPath, options);
    if (actualMd5 !== expectedMd5) {
      throw new MoviebotError(
        "download_failed",
        `Checksum mismatch for ${url}: expected MD5 ${expectedMd5}, got ${actualMd5}. ` +
          "The download was discarded; try again.",
      );
    }
    const unpacked = join(work, "unpacked");
    await unzipMovieLens(zipPath, unpacked, url);
    await moveIntoPlace(unpacked, dir);
    done = true;
    return dir;
  } finally {
    await rm(work, { recursive: true, force: true });
    if (!done && created) await removeEmptyUpTo(parent, created);
  }
}

async function get(url: string, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (error) {
    throw new MoviebotError("download_failed", `Could not download ${url}: ${describe(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MoviebotError(
      "download_failed",
      `Could not download ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  return response;
}

/** Reads an .md5 file in either common form: "MD5 (file) = hex" or "hex  file". */
async function fetchMd5(url: string, signal: AbortSignal | undefined): Promise<string> {
  const text = await (await get(url, signal)).text();
  const match = /\b([a-f0-9]{32})\b/i.exec(text);
  if (!match) throw new MoviebotError("download_failed", `No MD5 checksum found in ${url}`);
  return (match[1] as string).toLowerCase();
}

/** Streams the body to file, hashing and counting as it goes; returns the MD5 in hex. */
async function downloadTo(
  url: string,
  file: string,
  options: EnsureMovieLensOptions,
): Promise<string> {
  const response = await get(url, options.signal);
  if (!response.body) throw new MoviebotError("download_failed", `Empty response from ${url}`);
  const length = Number(response.headers.get("content-length"));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const md5 = createHash("md5");
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      received += chunk.length;
      options.onProgress?.(received, total);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, meter, createWriteStream(file));
  } catch (error) {
    throw new MoviebotError("download_failed", `Download of ${url} broke off: ${describe(error)}`, {
      cause: error,
    });
  }
  return md5.digest("hex");
}

async function unzipMovieLens(zipPath: string, target: string, url: string): Promise<void> {
  await mkdir(target);
  const found = new Set<string>();
  try {
    const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, strictFileNames: true });
    try {
      for await (const entry of zip.eachEntry()) {
        // yauzl already refuses absolute and "../" names; this is the second lock on the door.
        const parts = entry.fileName.split("/");
        if (parts.includes("..") || entry.fileName.startsWith("/")) {
          throw new Error(`unsafe path ${entry.fileName}`);
        }
        const name = parts.at(-1) ?? "";
        // The zip holds ml-latest-small/<file>; only those three files at that depth are taken.
        if (parts.length > 2 || !WANTED.has(name)) continue;
        const stream = await zip.openReadStreamPromise(entry);
        await pipeline(stream, createWriteStream(join(target, name)));
        found.add(name);
      }
    } finally {
      zip.close();
    }
  } catch (error) {
    throw new MoviebotError("download_failed", `${url} is not a usable zip: ${describe(error)}`, {
      cause: error,
    });
  }
  const missing = [...WANTED].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new MoviebotError("download_failed", `${url} lacks ${missing.join(", ")}`);
  }
}

async function moveIntoPlace(unpacked: string, dir: string): Promise<void> {
  // An empty folder (made by hand, or a mount point's stub) may stand where the data goes.
  if (existsSync(dir) && (await readdir(dir)).length === 0) await rmdir(dir);
  try {
    await rename(unpacked, dir);
  } catch (error) {
    // Another process may have finished the same download first.
    if (hasMovieLensData(dir)) return;
    throw new MoviebotError(
      "download_failed",
      `Could not move the data into ${dir}: ${describe(error)}. Remove that folder or set MOVIELENS_DIR.`,
      { cause: error },
    );
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty. */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let current = dir; ; current = dirname(current)) {
    if ((await readdir(current).catch(() => ["?"])).length > 0) return;
    await rmdir(current).catch(() => undefined);
    if (current === top || dirname(current) === current) return;
  }
}
