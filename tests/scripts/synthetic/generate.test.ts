import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { LIKED_THRESHOLD } from "../../../core/catalog/ratings.ts";
import { generateSynthetic } from "../../../scripts/synthetic/generate.ts";
import { ML25M_MOVIES, MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, ml25mTitles, realMovieLens } from "../../support/requirements.ts";

async function generate(seed: number) {
  const outDir = mkdtempSync(join(tmpdir(), "synthetic-"));
  const summary = await generateSynthetic({
    outDir,
    moviesFile: ML25M_MOVIES,
    linksFile: join(MOVIELENS_DIR, "links.csv"),
    popularityFile: join(MOVIELENS_DIR, "ratings.csv"),
    scale: 0.0005,
    seed,
  });
  return { outDir, summary };
}

describeWith(ml25mTitles, realMovieLens)("the synthetic MovieLens generator", () => {
  let outDir: string;
  let summary: Awaited<ReturnType<typeof generate>>["summary"];
  let catalog: Awaited<ReturnType<typeof loadMovieLens>>;
  beforeAll(async () => {
    ({ outDir, summary } = await generate(7));
    catalog = await loadMovieLens(outDir);
  });

  it("writes a dataset the loader reads, at the requested scale, with the real titles", () => {
    expect(summary).toEqual({ movies: 62_423, users: 81, ratings: 12_500 });
    expect(catalog.movies).toHaveLength(62_423);
    expect(catalog.ratings.length).toBe(12_500);
    expect(catalog.get(2571)).toMatchObject({ title: "The Matrix", year: 1999, tmdbId: 603 });
  });

  it("gives every user at least 20 ratings, in half stars, and a long tail of activity", () => {
    const perUser = new Map<number, number>();
    for (const u of catalog.ratings.userIds) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    const counts = [...perUser.values()].sort((a, b) => a - b);
    expect(perUser.size).toBe(81);
    expect(counts[0]).toBeGreaterThanOrEqual(20);
    const median = counts[Math.floor(counts.length / 2)] as number;
    expect(counts.at(-1)).toBeGreaterThan(3 * median);
    const stars = readFileSync(join(outDir, "ratings.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[2]);
    expect(new Set(stars)).toEqual(
      new Set(["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"]),
    );
  });

  it("concentrates ratings on a popular head, as real catalogues do", () => {
    const perMovie = new Map<number, number>();
    for (const m of catalog.ratings.movieIds) perMovie.set(m, (perMovie.get(m) ?? 0) + 1);
    const counts = [...perMovie.values()].sort((a, b) => b - a);
    const head = counts.slice(0, 600).reduce((s, n) => s + n, 0); // ~1% of the movies
    expect(head / catalog.ratings.length).toBeGreaterThan(0.15);
    // Most movies get no rating at this small scale: the long tail.
    expect(perMovie.size).toBeLessThan(catalog.movies.length / 4);
  });

  it("leads with the movies real people rate most", async () => {
    const real = await loadMovieLens(MOVIELENS_DIR);
    const realTop = new Set(
      [...real.movies]
        .sort((a, b) => real.statsOf(b.movieId).ratingCount - real.statsOf(a.movieId).ratingCount)
        .slice(0, 300)
        .map((m) => m.movieId),
    );
    const perMovie = new Map<number, number>();
    for (const m of catalog.ratings.movieIds) perMovie.set(m, (perMovie.get(m) ?? 0) + 1);
    const top = [...perMovie].sort((a, b) => b[1] - a[1]).slice(0, 20);
    // Out of 62k titles, a random head would hold next to none of ml-latest-small's top 300.
    expect(top.filter(([id]) => realTop.has(id)).length).toBeGreaterThanOrEqual(15);
  });

  it("makes taste visible: users like a favourite genre more than the rest", () => {
    // Each user's most-rated genre should be liked more often than their other genres.
    let favouriteLikes = 0;
    let favouriteTotal = 0;
    let otherLikes = 0;
    let otherTotal = 0;
    const byUser = new Map<number, number[]>();
    const r = catalog.ratings;
    for (let i = 0; i < r.length; i++) {
      const list = byUser.get(r.userIds[i] as number) ?? [];
      list.push(i);
      byUser.set(r.userIds[i] as number, list);
    }
    for (const rows of byUser.values()) {
      const genreCount = new Map<string, number>();
      for (const i of rows) {
        for (const g of catalog.get(r.movieIds[i] as number)?.genres ?? []) {
          genreCount.set(g, (genreCount.get(g) ?? 0) + 1);
        }
      }
      const favourite = [...genreCount].sort((a, b) => b[1] - a[1])[0]?.[0];
      for (const i of rows) {
        const liked = (r.values[i] as number) >= LIKED_THRESHOLD ? 1 : 0;
        if (catalog.get(r.movieIds[i] as number)?.genres.includes(favourite ?? "")) {
          favouriteLikes += liked;
          favouriteTotal++;
        } else {
          otherLikes += liked;
          otherTotal++;
        }
      }
    }
    expect(favouriteLikes / favouriteTotal).toBeGreaterThan(otherLikes / otherTotal + 0.05);
  });

  it("is deterministic for a seed and different for another", async () => {
    const again = await generate(7);
    const other = await generate(8);
    const ratings = (dir: string) => readFileSync(join(dir, "ratings.csv"), "utf8");
    expect(ratings(again.outDir)).toBe(ratings(outDir));
    expect(ratings(other.outDir)).not.toBe(ratings(outDir));
  });
});
