import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, movieIdsOf } from "../../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../../core/members/unavailable-taste-store.ts";
import { describeEachEngineWith } from "../../support/stores.ts";
import {
  customIds,
  type Endpoint,
  EPHEMERAL,
  type ResponseBody,
  startEndpoint,
} from "./http-harness.ts";
import * as payload from "./interactions.ts";

// Signed Discord interactions into the real endpoint, against the real databases.
const GUILD = "333333333333333333";
const ada = memberId("discord", GUILD, "444444444444444444");

/** A click on a button of a message we sent, as Discord posts it: the message's rows and flags. */
function clickOn(message: ResponseBody, customId: string, ephemeral = true) {
  const click = payload.button(customId);
  return {
    ...click,
    message: {
      ...click.message,
      embeds: message.data?.embeds ?? [],
      components: message.data?.components ?? [],
      flags: ephemeral ? EPHEMERAL : 0,
    },
  };
}

const labelOf = (body: ResponseBody, customId: string): string | undefined => {
  const found = (body.data?.components ?? [])
    .flatMap((row) => row.components)
    .find((c) => "custom_id" in c && c.custom_id === customId);
  return found && "label" in found ? found.label : undefined;
};

describeEachEngineWith(
  "Discord members",
  { start: (store) => startEndpoint({ taste: store }), stop: (h) => h.stop() },
  (on) => {
    it("a movie picked from the menu becomes a like", async () => {
      await on.h.post(payload.command("recommend", { movie1: "2571" }));
      expect(movieIdsOf(await on.store.entries(ada), "like")).toEqual([2571]);
    });

    it("every card has a row of 👍 / 👎 / Seen it / Watchlist; a click is stored once and its row redrawn", async () => {
      const { body } = await on.h.post(payload.command("recommend", { movie1: "2571" }));
      expect(customIds(body)).toContain("taste:like:1:6365");
      const first = await on.h.post(clickOn(body, "taste:like:1:6365"));
      await on.h.post(clickOn(body, "taste:like:1:6365"));
      expect(
        await on.engine.count(
          "SELECT COUNT(*) AS count FROM member_movies WHERE movie_id = 6365 AND kind = 'like'",
        ),
      ).toBe(1);
      expect(first.body.type).toBe(7);
      expect(labelOf(first.body, "taste:like:0:6365")).toBe("👍 Liked The Matrix Reloaded");
      // The other cards' rows are left as they were.
      expect(customIds(first.body)).toContain("taste:like:1:6934");
      const undone = await on.h.post(clickOn(first.body, "taste:like:0:6365"));
      expect(customIds(undone.body)).toContain("taste:like:1:6365");
      expect(movieIdsOf(await on.store.entries(ada), "like")).not.toContain(6365);
    });

    it("never recommends what the member disliked or has seen", async () => {
      const { body } = await on.h.post(payload.command("recommend", { movie1: "2571" }));
      await on.h.post(clickOn(body, "taste:dislike:1:6365"));
      await on.h.post(clickOn(body, "taste:seen:1:6934"));
      const after = await on.h.post(payload.command("recommend", { movie1: "2571" }));
      const titles = (after.body.data?.embeds ?? []).map((e) => e.title);
      expect(titles).not.toContain("The Matrix Reloaded (2003)");
      expect(titles).not.toContain("The Matrix Revolutions (2003)");
    });

    it("on a message the channel sees, the clicker alone gets the card with its new state", async () => {
      const { body } = await on.h.post(payload.command("popular"));
      expect(body.data?.flags).toBeUndefined();
      const id = customIds(body).find((c) => c.startsWith("taste:watchlist:1:"));
      if (!id) throw new Error("no watchlist button");
      const reply = await on.h.post(clickOn(body, id, false));
      expect(reply.body.type).toBe(4);
      expect(reply.body.data?.flags).toBe(EPHEMERAL);
      expect(reply.body.data?.embeds).toHaveLength(1);
      // Its watchlist button now takes it off again.
      expect(customIds(reply.body)).toContain(id.replace(":1:", ":0:"));
      const movieId = Number(id.split(":")[3]);
      expect(movieIdsOf(await on.store.entries(ada), "watchlist")).toContain(movieId);
    });

    it("with 3 likes, /recommend with nothing picked answers Picked for you", async () => {
      await on.store.addLikes(ada, [6, 1, 318]);
      const { body } = await on.h.post(payload.command("recommend"));
      expect(body.data?.content).toContain("Picked for you");
      const titles = (body.data?.embeds ?? []).map((e) => e.title);
      expect(titles).not.toContain("Heat (1995)");
    });

    it("/popular ranks by this server's likes once 5 members gave 20, blended before, and says which", async () => {
      const before = await on.h.post(payload.command("popular"));
      expect(before.body.data?.content).toContain("mixed with what members here liked");
      const crowd = Array.from({ length: 5 }, (_, i) => memberId("discord", GUILD, `55500${i}`));
      for (const member of crowd) await on.store.addLikes(member, [593, 356, 296, 99999]);
      const after = await on.h.post(payload.command("popular"));
      expect(after.body.data?.content).toContain("Popular in this server");
      // Most liked first: 296, 356, 593 and 99999 have 5 likes each, ties by movie id.
      expect((after.body.data?.embeds ?? [])[0]?.title).toBe("Pulp Fiction (1994)");
    });
  },
);

describe("Discord members with the database down", () => {
  let h: Endpoint;
  beforeAll(async () => {
    h = await startEndpoint({ taste: new UnavailableTasteStore("connection refused") });
  });
  afterAll(() => h?.stop());

  it("recommends without the profile and says a click was not saved", async () => {
    const { body } = await h.post(payload.command("recommend", { movie1: "2571" }));
    expect(body.data?.embeds?.length).toBeGreaterThan(0);
    const click = await h.post(clickOn(body, "taste:like:1:6365"));
    expect(click.body.data?.flags).toBe(EPHEMERAL);
    expect(click.body.data?.content).toContain("couldn't save that");
  });
});
