import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, movieIdsOf } from "../../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../../core/members/unavailable-taste-store.ts";
import { describeEachEngineWith } from "../../support/stores.ts";
import { blocksOf, buttons, cardIds, type Message } from "./support/blocks-of.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import { buttonClick, sendCommand, sendPayload } from "./support/signed-requests.ts";

// Signed Slack requests into the real Bolt app, against the real databases.
const ada = memberId("slack", "T1", "U1");

const tasteButton = (message: Message, movieId: number, kind: string) => {
  const found = buttons(message).find(
    (b) => b.action_id === `taste_${kind}` && JSON.parse(b.value).m === movieId,
  );
  if (!found) throw new Error(`no ${kind} button for ${movieId}`);
  return found;
};
const header = (message: Message) => blocksOf(message)[0]?.text?.text;

describeEachEngineWith(
  "Slack members",
  { start: (store) => startHarness({ taste: store }), stop: (h) => h.close() },
  (on) => {
    let seq = 0;
    const url = () => `r${++seq}`;

    async function command(text: string) {
      const name = url();
      expect((await sendCommand(on.h.url, text, on.h.slack.responseUrl(name))).status).toBe(200);
      return (await on.h.slack.waitForReplies(name)).at(-1) as Message;
    }
    async function click(button: { action_id: string; value: string }, inChannel = false) {
      const name = url();
      const payload = buttonClick(button.action_id, button.value, on.h.slack.responseUrl(name));
      payload.container.is_ephemeral = !inChannel;
      expect((await sendPayload(on.h.url, payload)).status).toBe(200);
      return (await on.h.slack.waitForReplies(name)).at(-1) as Message;
    }

    it("remembers typed titles as likes only when the match was certain", async () => {
      const reply = await command("Toy Story, Heat 1995, matr");
      expect(cardIds(reply).length).toBeGreaterThan(0);
      // "matr" found The Matrix, but a guess is not a like.
      expect(movieIdsOf(await on.store.entries(ada), "like").sort((a, b) => a - b)).toEqual([1, 6]);
    });

    it("every card has 👍 / 👎 / Seen it / Watchlist; a click is stored once and shown on the card", async () => {
      const reply = await command("Toy Story");
      const [first] = cardIds(reply);
      if (first === undefined) throw new Error("no cards");
      const like = tasteButton(reply, first, "like");
      expect(like.text.text).toMatch(/^👍 (?!Liked)/);
      // A double click: the same button twice.
      const redrawn = await click(like);
      await click(like);
      expect(
        await on.engine.count(
          `SELECT COUNT(*) AS count FROM member_movies WHERE movie_id = ${first} AND kind = 'like'`,
        ),
      ).toBe(1);
      // The message is drawn again, same cards, this one now liked.
      expect(cardIds(redrawn)).toEqual(cardIds(reply));
      expect(redrawn.replace_original).toBe(true);
      const liked = tasteButton(redrawn, first, "like");
      expect(liked.text.text).toMatch(/^👍 Liked/);
      // Clicking it again undoes.
      const undone = await click(liked);
      expect(tasteButton(undone, first, "like").text.text).not.toMatch(/Liked/);
      expect(movieIdsOf(await on.store.entries(ada), "like")).not.toContain(first);
    });

    it("never recommends what the member disliked or has seen", async () => {
      const before = await command("Toy Story");
      const [disliked, seen] = cardIds(before);
      if (disliked === undefined || seen === undefined) throw new Error("need two cards");
      await click(tasteButton(before, disliked, "dislike"));
      await click(tasteButton(before, seen, "seen"));
      const after = await command("Toy Story");
      expect(cardIds(after)).not.toContain(disliked);
      expect(cardIds(after)).not.toContain(seen);
    });

    it("on a message the channel sees, the clicker alone gets the card with its new state", async () => {
      const popular = await command("popular");
      const [first] = cardIds(popular);
      if (first === undefined) throw new Error("no cards");
      const reply = await click(tasteButton(popular, first, "watchlist"), true);
      expect(reply.response_type).toBe("ephemeral");
      expect(reply.replace_original).toBe(false);
      expect(tasteButton(reply, first, "watchlist").text.text).toBe("✓ On watchlist");
      expect(movieIdsOf(await on.store.entries(ada), "watchlist")).toContain(first);
    });

    it("with 3 likes, /recommend with nothing typed answers Picked for you, the picker beneath", async () => {
      await on.store.addLikes(ada, [1, 6, 2571]);
      const reply = await command("");
      expect(header(reply)).toBe("Picked for you");
      expect(cardIds(reply).length).toBeGreaterThan(0);
      for (const liked of [1, 6, 2571]) expect(cardIds(reply)).not.toContain(liked);
      expect(blocksOf(reply).some((b) => b.block_id === "movie_picker")).toBe(true);
    });
  },
);

describe("Slack members with the database down", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ taste: new UnavailableTasteStore("connection refused") });
  });
  afterAll(() => h?.close());

  it("recommends without the profile and says a click was not saved", async () => {
    expect((await sendCommand(h.url, "Toy Story", h.slack.responseUrl("down1"))).status).toBe(200);
    const [reply] = await h.slack.waitForReplies("down1");
    if (!reply) throw new Error("no reply");
    const [first] = cardIds(reply);
    expect(first).toBeDefined();
    const like = tasteButton(reply, first as number, "like");
    const payload = buttonClick(like.action_id, like.value, h.slack.responseUrl("down2"));
    expect((await sendPayload(h.url, payload)).status).toBe(200);
    const [notice] = await h.slack.waitForReplies("down2");
    expect(JSON.stringify(notice)).toContain("couldn't save that");
  });

  it("nothing typed still gets the picker", async () => {
    const res = await sendCommand(h.url, "", h.slack.responseUrl("down3"));
    // The picker is the ack itself.
    const ack = (await res.json()) as Message;
    expect(blocksOf(ack).some((b) => b.block_id === "movie_picker")).toBe(true);
  });
});
