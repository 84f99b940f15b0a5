import { beforeAll, expect, it } from "vitest";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { CardService } from "../../../core/cards/card-service.ts";
import type { Catalog } from "../../../core/catalog/catalog.ts";
import { NoPosters } from "../../../core/posters/poster-source.ts";
import { LocalRecommender } from "../../../core/recommend/local-recommender.ts";
import { LocalMovieSearch } from "../../../core/search/local-movie-search.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { FakeRecommender, FakeSearch } from "../../support/fakes.ts";
import { describeWith, realMovieLens } from "../../support/requirements.ts";
import { sqliteEngine } from "../../support/stores.ts";

let catalog: Catalog;
let cards: CardService;

beforeAll(async () => {
  catalog = await loadMovieLens(MOVIELENS_DIR);
  cards = new CardService({
    catalog,
    search: new FakeSearch(catalog),
    recommender: new FakeRecommender({ catalog }),
    posters: new NoPosters(),
  });
});

describeWith(realMovieLens)("CardService", () => {
  it("resolves typed titles through search, once each, naming what matched nothing", async () => {
    const { movies, unresolved } = await cards.resolveTitles(["toy story", "Toy Story", "zzqqxx"]);
    expect(movies.map((m) => m.title)).toEqual(["Toy Story"]);
    expect(unresolved).toEqual(["zzqqxx"]);
  });

  it("says what each typed title matched, and holds back a weak match with its candidates", async () => {
    const local = new CardService({
      catalog,
      search: LocalMovieSearch.fromCatalog(catalog),
      recommender: new FakeRecommender({ catalog }),
      posters: new NoPosters(),
    });
    const { movies, unresolved, matches } = await local.resolveTitles([
      "toy stroy",
      "Star Wars 5",
      "star wars",
      "xyz wars",
      "qqqzzzxxy",
    ]);
    expect(matches.map((m) => [m.typed, m.match?.label ?? null, m.weak])).toEqual([
      ["toy stroy", "Toy Story (1995)", null],
      ["Star Wars 5", "Star Wars: Episode V - The Empire Strikes Back (1980)", null],
      // Episodes IV, V and VI match "star wars" alike and are all well known: ask, don't guess.
      ["star wars", null, "close_second"],
      ["xyz wars", null, "low_score"],
      ["qqqzzzxxy", null, null],
    ]);
    expect(matches[0]?.confidence).toBeGreaterThan(0.8);
    expect(matches[2]?.candidates.map((c) => c.movieId)).toEqual([260, 1196, 1210]);
    expect(matches[3]?.confidence).toBeLessThan(0.6);
    expect(matches[3]?.candidates.length).toBeGreaterThan(0);
    expect(matches[4]?.candidates).toEqual([]);
    // Only confident matches are used; only what matched nothing at all is "unresolved".
    expect(movies.map((m) => m.movieId)).toEqual([1, 1196]);
    expect(unresolved).toEqual(["qqqzzzxxy"]);
  });

  it("treats typed digits as a title, not as a movieId", async () => {
    // movieId 1917 is Armageddon; someone typing "1917" means a title containing 1917.
    const { movies } = await cards.resolveTitles(["1917"]);
    expect(movies.every((m) => m.title.includes("1917"))).toBe(true);
    expect(movies.map((m) => m.movieId)).not.toContain(1917);
  });

  it("builds cards with links and a reason, and reports unknown ids", async () => {
    const set = await cards.recommend([6, 424242424], 3);
    expect(set.ignored).toEqual([424242424]);
    expect(set.cards).toHaveLength(3);
    const first = set.cards[0];
    expect(first?.reason).toBe("Because you liked Heat");
    expect(first?.tmdbUrl).toMatch(/^https:\/\/www\.themoviedb\.org\/movie\/\d+$/);
    expect(first?.imdbUrl).toMatch(/^https:\/\/www\.imdb\.com\/title\/tt\d{7,}\/$/);
  });

  it("says what drives each pick: the series, the pick, the share of its likers who loved it", async () => {
    const recommender = await LocalRecommender.create(catalog, {
      strategy: "default",
      k: 30,
      factors: 8,
      alpha: 40,
      lambda: 0.1,
      iterations: 1,
      cacheDir: null,
    });
    const real = new CardService({
      catalog,
      search: new FakeSearch(catalog),
      recommender,
      posters: new NoPosters(),
    });
    const toyStory = await real.recommend([1], 10);
    expect(toyStory.cards[0]?.reason).toMatch(
      /^Same series as Toy Story · Loved by \d+ % of people who liked Toy Story$/,
    );
    const other = toyStory.cards.find((c) => !c.reason.startsWith("Same series"));
    expect(other?.reason).toMatch(
      /^Because you liked Toy Story · Loved by \d+ % of people who liked Toy Story$/,
    );
    expect(new Set(toyStory.cards.map((c) => c.reason)).size).toBeGreaterThan(5);
    const heat = await real.recommend([6, 1], 10);
    for (const card of heat.cards) expect(card.reason).toMatch(/(Heat|Toy Story)/);
  }, 30_000);

  it("refuses more than 25 picks with a coded error", async () => {
    const ids = catalog.movies.slice(0, 26).map((m) => m.movieId);
    await expect(cards.recommend(ids, 10)).rejects.toMatchObject({ code: "too_many_liked" });
  });
});

describeWith(realMovieLens)("CardService with a member's profile", () => {
  it("recommends from what the member picked now, leaving out what they already liked", async () => {
    const engine = await sqliteEngine();
    const store = await engine.open();
    try {
      const member = { platform: "slack", workspace: "T1", user: "U1" } as const;
      // Remembered: Pulp Fiction, Forrest Gump, The Shawshank Redemption, The Matrix.
      await store.addLikes(member, [296, 356, 318, 2571]);
      const recommender = new FakeRecommender({ catalog });
      const withTaste = new CardService({
        catalog,
        search: new FakeSearch(catalog),
        recommender,
        posters: new NoPosters(),
        taste: store,
      });

      const picked = await withTaste.recommend([1], 10, { member });
      expect(recommender.calls.at(-1)?.liked).toEqual([1]);
      const shown = picked.cards.map((card) => card.movieId);
      expect(shown).toHaveLength(10);
      for (const liked of [296, 356, 318, 2571]) expect(shown).not.toContain(liked);

      // Nothing picked: the remembered likes are the picks ("Picked for you").
      const forYou = await withTaste.recommend([], 10, { member });
      expect(forYou.pickedForYou).toBe(true);
      expect([...(recommender.calls.at(-1)?.liked ?? [])].sort()).toEqual([2571, 296, 318, 356]);
    } finally {
      await store.close();
      await engine.dispose();
    }
  });
});
