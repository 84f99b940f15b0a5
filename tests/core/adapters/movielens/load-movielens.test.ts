import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";
import { COURSE_DIR, MOVIELENS_DIR } from "../../../support/data.ts";
import { courseLayout, itWith, realMovieLens } from "../../../support/requirements.ts";

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "movielens-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const MOVIES = 'movieId,title,genres\n1,"Matrix, The (1999)",Action|Sci-Fi\n2,Heat (1995),Crime\n';
const LINKS = "movieId,imdbId,tmdbId\n1,0133093,603\n2,113277,\n";

describe("loading MovieLens", () => {
  itWith(realMovieLens)("reads ml-latest-small with rating_im = rating / 5", async () => {
    const catalog = await loadMovieLens(MOVIELENS_DIR);
    expect(catalog.movies).toHaveLength(9742);
    expect(catalog.ratings.length).toBe(100836);
    expect(catalog.get(2571)).toMatchObject({
      title: "The Matrix",
      year: 1999,
      tmdbId: 603,
      imdbId: "0133093",
    });
    expect(Math.max(...catalog.ratings.values)).toBeCloseTo(1);
    expect(Math.min(...catalog.ratings.values)).toBeCloseTo(0.1);
  });

  itWith(realMovieLens, courseLayout)(
    "reads the course variant (rating_im already) to the same ratings",
    async () => {
      const [official, course] = await Promise.all([
        loadMovieLens(MOVIELENS_DIR),
        loadMovieLens(COURSE_DIR),
      ]);
      expect(course.ratings.length).toBe(official.ratings.length);
      expect(course.statsOf(356)).toEqual(official.statsOf(356));
    },
  );

  it("names the file and line of a malformed rating, and loads nothing", async () => {
    const dir = fixture({
      "movies.csv": MOVIES,
      "links.csv": LINKS,
      "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,seven,2\n",
    });
    await expect(loadMovieLens(dir)).rejects.toThrow(
      /ratings\.csv, line 3: rating must be between 0\.5 and 5/,
    );
  });

  it("rejects a wrong header and an out-of-range rating", async () => {
    const wrongHeader = fixture({
      "movies.csv": "id,name\n1,x\n",
      "links.csv": LINKS,
      "ratings.csv": "userId,movieId,rating,timestamp\n",
    });
    await expect(loadMovieLens(wrongHeader)).rejects.toThrow(
      /movies\.csv, line 1: expected columns movieId,title,genres/,
    );
    const outOfRange = fixture({
      "movies.csv": MOVIES,
      "links.csv": LINKS,
      "ratings.csv": "userId,movieId,rating,timestamp\n1,1,9,1\n",
    });
    await expect(loadMovieLens(outOfRange)).rejects.toThrow(/line 2/);
  });

  it("keys the checksum on the data", async () => {
    const a = fixture({
      "movies.csv": MOVIES,
      "links.csv": LINKS,
      "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,1\n",
    });
    const b = fixture({
      "movies.csv": MOVIES,
      "links.csv": LINKS,
      "ratings.csv": "userId,movieId,rating,timestamp\n1,1,5.0,1\n",
    });
    const [ca, cb] = await Promise.all([loadMovieLens(a), loadMovieLens(b)]);
    expect(ca.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(ca.checksum).not.toBe(cb.checksum);
  });
});
