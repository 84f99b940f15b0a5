import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";

const MOVIES = 'movieId,title,genres\n1,"Matrix, The (1999)",Action|Sci-Fi\n2,Heat (1995),Crime\n';
const LINKS = "movieId,imdbId,tmdbId\n1,0133093,603\n2,113277,\n";

function dataset(ratings: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "ratings-reader-"));
  writeFileSync(join(dir, "movies.csv"), MOVIES);
  writeFileSync(join(dir, "links.csv"), LINKS);
  writeFileSync(join(dir, "ratings.csv"), ratings);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Enough rows that the file spans several read chunks (the reader reads 1 MB at a time). */
function manyRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${1 + (i % 500)},${1 + (i % 2)},4.5,${i}`);
}

describe("reading ratings.csv", () => {
  it("names the right line of a bad row far past the first chunk", async () => {
    const rows = manyRows(90_000);
    rows[79_998] = "17,2,4.0,,";
    rows[79_999] = "x17,2,4.0,1"; // line 80001: the header is line 1
    const dir = dataset(`userId,movieId,rating,timestamp\n${rows.join("\n")}\n`);
    await expect(loadMovieLens(dir)).rejects.toThrow(
      /ratings\.csv, line 80001: userId must be a whole number, found "x17"/,
    );
  });

  it("reads every row of a multi-chunk file, with blank lines and CRLF endings", async () => {
    const rows = manyRows(90_000);
    const text = `userId,movieId,rating,timestamp\r\n${rows.join("\r\n")}\r\n\r\n`;
    const catalog = await loadMovieLens(dataset(text));
    expect(catalog.ratings.length).toBe(90_000);
    expect(catalog.statsOf(1)).toEqual({ ratingCount: 45_000, meanRating: expect.closeTo(0.9, 5) });
  });

  it("counts blank lines when naming the line of a bad row", async () => {
    const dir = dataset("userId,movieId,rating,timestamp\n1,1,4.0,1\n\n1,2,4.0\n");
    await expect(loadMovieLens(dir)).rejects.toThrow(
      /ratings\.csv, line 4: expected 4 fields, found 3/,
    );
  });

  it("rejects an empty ratings file, a half-star out of range and a bad movieId", async () => {
    await expect(loadMovieLens(dataset(""))).rejects.toThrow(
      /ratings\.csv, line 1: the file is empty/,
    );
    await expect(
      loadMovieLens(dataset("userId,movieId,rating,timestamp\n1,1,0.4,1\n")),
    ).rejects.toThrow(/line 2: rating must be between 0\.5 and 5, found "0\.4"/);
    await expect(
      loadMovieLens(dataset("userId,movieId,rating,timestamp\n1,1.5,3,1\n")),
    ).rejects.toThrow(/line 2: movieId must be a whole number, found "1\.5"/);
  });

  it("rejects a course-layout rating_im outside 0.1..1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ratings-reader-"));
    writeFileSync(join(dir, "ml-small-movies.csv"), MOVIES);
    writeFileSync(join(dir, "ml-small-links.csv"), LINKS);
    writeFileSync(
      join(dir, "ml-small-ratings.csv"),
      "userId,movieId,date,rating_im\n1,1,2000-07-30 18:45:03,0.8\n1,2,2000-07-30 18:45:03,4\n",
    );
    await expect(loadMovieLens(dir)).rejects.toThrow(
      /ml-small-ratings\.csv, line 3: rating_im must be between 0\.1 and 1, found "4"/,
    );
  });

  it("accepts a header-only ratings file as a catalog with no ratings", async () => {
    const catalog = await loadMovieLens(dataset("userId,movieId,rating,timestamp\n"));
    expect(catalog.ratings.length).toBe(0);
    expect(catalog.statsOf(1)).toEqual({ ratingCount: 0, meanRating: 0 });
  });
});
