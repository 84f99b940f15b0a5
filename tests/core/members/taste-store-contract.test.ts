import { expect, it } from "vitest";
import { memberId, movieIdsOf, NO_TASTE } from "../../../core/members/taste-store.ts";
import { EngineStatements } from "../../../core/sql/statements.ts";
import { describeEachEngine } from "../../support/stores.ts";

// The same suite against both adapters: what a member sees must not depend on the engine.

const alice = memberId("slack", "T1", "U1");
const bob = memberId("slack", "T1", "U2");
const aliceElsewhere = memberId("slack", "T2", "U1");
const carol = memberId("discord", "G1", "42");

describeEachEngine("TasteStore", (on) => {
  it("creates its tables on first start and migrates again without harm", async () => {
    await on.store.migrate();
    await on.store.migrate();
    // Every migration in the engine's folder, the movie nights' included (one database, one list).
    expect(await on.engine.count("SELECT COUNT(*) AS count FROM schema_migrations")).toBe(
      new EngineStatements(on.engine.name).migrations().length,
    );
  });

  it("turns a control on once however often it is clicked, and off again", async () => {
    const first = await on.store.mark(alice, 1, "like", true);
    const second = await on.store.mark(alice, 1, "like", true);
    expect(first).toEqual({ ...NO_TASTE, like: true });
    expect(second).toEqual(first);
    expect(
      await on.engine.count("SELECT COUNT(*) AS count FROM member_movies WHERE movie_id = 1"),
    ).toBe(1);
    expect(await on.store.mark(alice, 1, "like", false)).toEqual(NO_TASTE);
    expect(await on.store.entries(alice)).toEqual([]);
  });

  it("keeps like and dislike apart, and seen and watchlist beside them", async () => {
    await on.store.mark(alice, 2, "like", true);
    await on.store.mark(alice, 2, "seen", true);
    const after = await on.store.mark(alice, 2, "dislike", true);
    expect(after).toEqual({ like: false, dislike: true, seen: true, watchlist: false });
    await on.store.mark(alice, 3, "watchlist", true);
    const entries = await on.store.entries(alice);
    expect(movieIdsOf(entries, "dislike")).toEqual([2]);
    expect(movieIdsOf(entries, "seen")).toEqual([2]);
    expect(movieIdsOf(entries, "watchlist")).toEqual([3]);
    expect(movieIdsOf(entries, "like")).toEqual([]);
    for (const entry of entries) expect(entry.at).toBeGreaterThan(0);
  });

  it("keeps members apart: same user in another workspace, another platform", async () => {
    await on.store.addLikes(bob, [10, 11, 10]);
    await on.store.addLikes(aliceElsewhere, [12]);
    await on.store.addLikes(carol, [13]);
    expect(movieIdsOf(await on.store.entries(bob), "like").sort()).toEqual([10, 11]);
    expect(movieIdsOf(await on.store.entries(aliceElsewhere), "like")).toEqual([12]);
    expect(movieIdsOf(await on.store.entries(alice), "like")).toEqual([]);
  });

  it("a pick turns a dislike into a like", async () => {
    await on.store.mark(bob, 20, "dislike", true);
    await on.store.addLikes(bob, [20]);
    const taste = (await on.store.entries(bob)).filter((e) => e.movieId === 20);
    expect(taste.map((e) => e.kind)).toEqual(["like"]);
  });

  it("counts a workspace's likes and members, most liked first", async () => {
    const community = await on.store.communityLikes("slack", "T1", 10);
    // alice has no likes left; bob likes 10, 11, 20.
    expect(community.likes).toBe(3);
    expect(community.members).toBe(1);
    await on.store.addLikes(alice, [11]);
    const again = await on.store.communityLikes("slack", "T1", 2);
    expect(again).toEqual({
      likes: 4,
      members: 2,
      top: [
        { movieId: 11, likes: 2 },
        { movieId: 10, likes: 1 },
      ],
    });
    expect(await on.store.communityLikes("slack", "nobody", 5)).toEqual({
      likes: 0,
      members: 0,
      top: [],
    });
  });

  it("lists every like for the recommender, with store numbers instead of platform ids", async () => {
    const likes = await on.store.allLikes();
    expect(likes.map((l) => l.movieId).sort((a, b) => a - b)).toEqual([10, 11, 11, 12, 13, 20]);
    for (const like of likes) expect(Number.isInteger(like.member)).toBe(true);
  });

  it("forgets one member completely and no one else", async () => {
    const removed = await on.store.forget(bob);
    expect(removed).toBeGreaterThan(0);
    expect(await on.store.entries(bob)).toEqual([]);
    expect(
      await on.engine.count(
        "SELECT COUNT(*) AS count FROM members WHERE workspace = 'T1' AND user_id = 'U2'",
      ),
    ).toBe(0);
    expect(
      await on.engine.count("SELECT COUNT(*) AS count FROM member_movies WHERE movie_id = 10"),
    ).toBe(0);
    expect(movieIdsOf(await on.store.entries(alice), "like")).toEqual([11]);
    expect(await on.store.forget(bob)).toBe(0);
  });

  it("forgets a whole workspace when the app is uninstalled", async () => {
    await on.store.forgetWorkspace("slack", "T1");
    expect(await on.store.entries(alice)).toEqual([]);
    expect(
      await on.engine.count("SELECT COUNT(*) AS count FROM members WHERE workspace = 'T1'"),
    ).toBe(0);
    expect(movieIdsOf(await on.store.entries(aliceElsewhere), "like")).toEqual([12]);
  });

  it("survives a restart: a new store on the same database sees the same rows", async () => {
    await on.store.mark(carol, 99, "watchlist", true);
    await on.reopen();
    expect(movieIdsOf(await on.store.entries(carol), "watchlist")).toEqual([99]);
  });

  it("stores 50 members clicking at once, each once", async () => {
    const crowd = Array.from({ length: 50 }, (_, i) => memberId("discord", "G50", `u${i}`));
    // Each clicks twice at once (a double click): still one row each.
    await Promise.all(
      crowd.flatMap((member) => [
        on.store.mark(member, 500, "like", true),
        on.store.mark(member, 500, "like", true),
      ]),
    );
    expect(
      await on.engine.count("SELECT COUNT(*) AS count FROM member_movies WHERE movie_id = 500"),
    ).toBe(50);
    expect(
      await on.engine.count("SELECT COUNT(*) AS count FROM members WHERE workspace = 'G50'"),
    ).toBe(50);
    const community = await on.store.communityLikes("discord", "G50", 1);
    expect(community).toEqual({ likes: 50, members: 50, top: [{ movieId: 500, likes: 50 }] });
  });
});
