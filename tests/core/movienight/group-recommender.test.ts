import { describe, expect, it } from "vitest";
import { EMPTY_PROFILE, type TasteProfile } from "../../../core/members/taste-profile.ts";
import { type GroupMember, GroupRecommender } from "../../../core/movienight/group-recommender.ts";
import { MovieNightError } from "../../../core/movienight/movie-night.ts";
import { TableRecommender } from "../../support/table-recommender.ts";

function member(id: string, profile: Partial<TasteProfile>): GroupMember {
  return { id, label: id, profile: { ...EMPTY_PROFILE, byMovie: new Map(), ...profile } };
}

// Anna's taste (pick 1), Ben's (pick 2), Chloé's (pick 3): lists of 10 films, best first.
const recommender = new TableRecommender(
  {
    1: [100, 101, 102, 103, 104, 105, 106, 107, 108, 109],
    2: [101, 100, 110, 111, 102, 112, 113, 114, 115, 116],
    3: [102, 101, 120, 121, 100, 122, 123, 124, 125, 126],
  },
  [500, 501, 502, 503, 504, 505],
);

const anna = member("Anna", { likes: [1] });
const ben = member("Ben", { likes: [2] });
const chloe = member("Chloé", { likes: [3] });

describe("GroupRecommender: a film for everyone, without misery", () => {
  it("puts first the film the members are likeliest to like, with a reason naming them", async () => {
    const group = new GroupRecommender(recommender, { misery: 0.1, pool: 10 });
    const picks = await group.recommend([anna, ben, chloe], 5);
    // 101: ranks 1, 0, 1 → (0.9 + 1 + 0.9) / 3; 100: 0, 1, 4 → (1 + 0.9 + 0.6) / 3; 102: 2, 4, 0.
    // Near the top of everyone's list, each is liked by all three alike: the higher ranks win.
    expect(picks.map((p) => p.movieId)).toEqual([101, 100, 102]);
    expect(picks[0]?.score).toBeCloseTo((0.9 + 1 + 0.9) / 3);
    expect(picks[0]?.reason).toBe("Liked by people who liked Ben's, Anna's and Chloé's picks");
  });

  it("gives the second film to the member the first leaves out, not to the majority", async () => {
    // Anna and Ben love 300 and 301 (ranks 0 and 3), which Chloé's list lacks; her first is 202.
    // By the average the poll would be 300, 301 (0.67, 0.6 against 202's 0.33) and Chloé would
    // have nothing; after 300 pleases Anna and Ben, 202 adds more likely-happy members than 301.
    const lists = new TableRecommender({
      1: [300, 400, 401, 301, 402],
      2: [300, 403, 404, 301, 405],
      3: [202, 203, 204, 205, 206],
    });
    const group = new GroupRecommender(lists, { misery: 0, pool: 10 });
    const picks = await group.recommend([anna, ben, chloe], 2);
    expect(picks.map((p) => p.movieId)).toEqual([300, 202]);
    expect(picks[1]?.reason).toBe("Liked by people who liked Chloé's picks");
  });

  it("prefers, at equal ranks, the film most people like", async () => {
    // 601 is as far down Anna's and Ben's lists as 600, but six raters in ten liked it.
    const lists = new TableRecommender({ 1: [600, 601, 602], 2: [601, 600, 602] }, [], {
      600: 0.02,
      601: 0.6,
      602: 0.02,
    });
    const group = new GroupRecommender(lists, { misery: 0.1, pool: 10 });
    const picks = await group.recommend([anna, ben], 3);
    expect(picks[0]?.movieId).toBe(601);
  });

  it("drops a film below the misery threshold for any member, however loved by the others", async () => {
    // 102 is Chloé's first pick but Ben's fifth (0.6), 100 Anna's first but Chloé's fifth: with
    // misery 0.7 both go; 101 (≥ 0.9 for everyone) stays.
    const group = new GroupRecommender(recommender, { misery: 0.7, pool: 10 });
    const picks = await group.recommend([anna, ben, chloe], 5);
    expect(picks.map((p) => p.movieId)).toEqual([101]);
  });

  it("leaves out anything any member has seen, disliked or liked", async () => {
    const group = new GroupRecommender(recommender, { misery: 0.1, pool: 10 });
    const picks = await group.recommend(
      [anna, member("Ben", { likes: [2], seen: [101] }), member("Chloé", { likes: [3, 102] })],
      5,
    );
    expect(picks.map((p) => p.movieId)).toEqual([100]);
  });

  it("lets a member without likes veto but not score", async () => {
    const group = new GroupRecommender(recommender, { misery: 0.1, pool: 10 });
    const newcomer = member("Dan", { dislikes: [100] });
    const picks = await group.recommend([anna, ben, newcomer], 5);
    expect(picks.map((p) => p.movieId)).toEqual([101, 102]);
    expect(picks[0]?.reason).not.toContain("Dan");
  });

  it("gives a group without any likes the popular list, vetoes applied", async () => {
    const group = new GroupRecommender(recommender, { misery: 0.25, pool: 10 });
    const picks = await group.recommend(
      [member("Dan", { seen: [500] }), member("Eve", { dislikes: [502] })],
      3,
    );
    expect(picks.map((p) => p.movieId)).toEqual([501, 503, 504]);
    expect(picks[0]?.reason).toBe("Popular with MovieLens raters");
  });

  it("says every film was vetoed instead of returning an empty poll", async () => {
    const group = new GroupRecommender(recommender, { misery: 0.1, pool: 10 });
    const seenItAll = member("Eve", { seen: [100, 101, 102] });
    const error = await group.recommend([anna, ben, chloe, seenItAll], 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MovieNightError);
    expect((error as MovieNightError).reason).toBe("all_vetoed");
    expect((error as Error).message).toMatch(/vetoed/);
  });

  it("names at most three members, then how many more", async () => {
    const group = new GroupRecommender(recommender, { misery: 0, pool: 10 });
    const twins = ["Dan", "Eve"].map((id) => member(id, { likes: [1] }));
    const [first] = await group.recommend([anna, ben, chloe, ...twins], 1);
    expect(first?.reason).toMatch(
      /^Liked by people who liked \S+'s, \S+'s, \S+'s and 2 more picks$/,
    );
  });
});
