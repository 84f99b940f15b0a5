import { beforeAll, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import { LocalRecommender } from "../../../core/recommend/local-recommender.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, realMovieLens } from "../../support/requirements.ts";

const TOY_STORY = 1;
const FELLOWSHIP = 4993;
const TWO_TOWERS = 5952;
const RETURN_OF_THE_KING = 7153;
// Small model: this checks the wiring and the semantics on real data, not the model's quality.
const options = { k: 30, factors: 16, alpha: 40, lambda: 0.1, iterations: 5, cacheDir: null };

let catalog: Catalog;
let byDefault: LocalRecommender;
let reference: LocalRecommender;
beforeAll(async () => {
  catalog = await loadMovieLens(MOVIELENS_DIR);
  byDefault = await LocalRecommender.create(catalog, { ...options, strategy: "default" });
  reference = await LocalRecommender.create(catalog, { ...options, strategy: "reference" });
});

const genresOf = (id: number) => catalog.get(id)?.genres ?? [];

describeWith(realMovieLens)("recommendations on ml-latest-small", () => {
  it("Toy Story brings family and animated films, each because of Toy Story", async () => {
    const result = await byDefault.recommend([TOY_STORY], 10);
    expect(result.strategy).toBe("personalized");
    expect(result.items).toHaveLength(10);
    const family = result.items.filter((i) =>
      genresOf(i.movieId).some((g) => g === "Animation" || g === "Children"),
    );
    expect(family.length).toBeGreaterThanOrEqual(1);
    for (const item of result.items) expect(item.because).toEqual([TOY_STORY]);
    expect(result.items.map((i) => i.movieId)).not.toContain(TOY_STORY);
  });

  it("The Fellowship of the Ring brings its two sequels to the top", async () => {
    const top = (await byDefault.recommend([FELLOWSHIP], 3)).items.map((i) => i.movieId);
    expect(top).toContain(TWO_TOWERS);
    expect(top).toContain(RETURN_OF_THE_KING);
    const ref = (await reference.recommend([FELLOWSHIP], 10)).items.map((i) => i.movieId);
    expect(ref).toContain(TWO_TOWERS);
    expect(ref).toContain(RETURN_OF_THE_KING);
  });

  it("names the liked movie that explains each pick", async () => {
    const result = await byDefault.recommend([TOY_STORY, FELLOWSHIP], 10);
    for (const item of result.items) {
      expect(item.because.length).toBeGreaterThan(0);
      for (const id of item.because) expect([TOY_STORY, FELLOWSHIP]).toContain(id);
    }
    const sequel = result.items.find((i) => i.movieId === RETURN_OF_THE_KING);
    expect(sequel?.because[0]).toBe(FELLOWSHIP);
  });

  it("one pick: the series first, and reasons that still differ from card to card", async () => {
    const result = await byDefault.recommend([TOY_STORY], 10);
    const [first, second] = result.items;
    expect([first?.movieId, second?.movieId].sort()).toEqual([3114, 78499]); // Toy Story 2 and 3
    expect(first?.series).toBe(TOY_STORY);
    const shares = result.items.map((i) => i.lovedShare);
    for (const share of shares) expect(share).toBeGreaterThan(0);
    expect(new Set(shares.map((s) => (100 * (s ?? 0)).toFixed(0))).size).toBeGreaterThan(5);
  });

  it("popular picks are well-known favourites", async () => {
    const popular = await byDefault.popular(10);
    const titles = popular.items.map((i) => catalog.get(i.movieId)?.title);
    expect(titles[0]).toBe("The Shawshank Redemption");
    for (const item of popular.items) {
      expect(catalog.statsOf(item.movieId).ratingCount).toBeGreaterThanOrEqual(50);
    }
  });
});
