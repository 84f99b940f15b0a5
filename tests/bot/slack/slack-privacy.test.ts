import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../../bot/slack/listeners/commands/recommend-command.ts";
import { memberId, movieIdsOf } from "../../../core/members/taste-store.ts";
import { describeEachEngineWith } from "../../support/stores.ts";
import { blocksOf, buttons, type Message } from "./support/blocks-of.ts";
import { startHarness } from "./support/harness.ts";
import { buttonClick, sendCommand, sendPayload, sign } from "./support/signed-requests.ts";

// The member's own lists and privacy, through signed Slack requests, against the real databases.
const ada = memberId("slack", "T1", "U1");
const bob = memberId("slack", "T1", "U2");
const elsewhere = memberId("slack", "T9", "U1");

/** An Events API callback, signed as Slack signs it. */
async function sendEvent(url: string, teamId: string, event: Record<string, unknown>) {
  const body = JSON.stringify({
    token: "legacy-verification-token",
    team_id: teamId,
    api_app_id: "A1",
    type: "event_callback",
    event_id: `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": sign(body, timestamp),
    },
    body,
  });
}

describe("/recommend subcommands", () => {
  it("are single exact words; a title equal to one is typed in quotes", () => {
    expect(parseCommandText("watchlist")).toEqual({ kind: "watchlist" });
    expect(parseCommandText("Export")).toEqual({ kind: "export" });
    expect(parseCommandText("forget")).toEqual({ kind: "forget" });
    expect(parseCommandText("region de")).toEqual({ kind: "region", text: "de" });
    expect(parseCommandText('"Help!"')).toEqual({ kind: "titles", titles: ["Help!"] });
    expect(parseCommandText("“Watchlist”, Heat")).toEqual({
      kind: "titles",
      titles: ["Watchlist", "Heat"],
    });
    expect(parseCommandText("forget me not")).toEqual({
      kind: "titles",
      titles: ["forget me not"],
    });
  });
});

describeEachEngineWith(
  "Slack privacy",
  { start: (store) => startHarness({ taste: store }), stop: (h) => h.close() },
  (on) => {
    let seq = 0;
    const url = () => `p${++seq}`;

    async function command(text: string) {
      const name = url();
      expect((await sendCommand(on.h.url, text, on.h.slack.responseUrl(name))).status).toBe(200);
      return (await on.h.slack.waitForReplies(name)).at(-1) as Message;
    }
    async function click(actionId: string, value: string) {
      const name = url();
      const payload = buttonClick(actionId, value, on.h.slack.responseUrl(name));
      expect((await sendPayload(on.h.url, payload)).status).toBe(200);
      return (await on.h.slack.waitForReplies(name)).at(-1) as Message;
    }

    it("shows the watchlist with a Remove button per film, and redraws it after a removal", async () => {
      await on.store.mark(ada, 6, "watchlist", true);
      await on.store.mark(ada, 1, "watchlist", true);
      const list = await command("watchlist");
      expect(JSON.stringify(list)).toContain("Heat (1995)");
      const remove = blocksOf(list).flatMap((b) =>
        b.accessory?.action_id === "watchlist_remove" ? [String(b.accessory.value)] : [],
      );
      expect(remove.sort()).toEqual(["1", "6"]);
      const after = await click("watchlist_remove", "6");
      expect(after.replace_original).toBe(true);
      expect(JSON.stringify(after)).not.toContain("Heat (1995)");
      expect(movieIdsOf(await on.store.entries(ada), "watchlist")).toEqual([1]);
    });

    it("exports the member's data as JSON, to them only", async () => {
      await on.store.mark(ada, 2571, "like", true);
      const reply = await command("export");
      expect(reply.response_type).toBe("ephemeral");
      const text = blocksOf(reply)
        .slice(1)
        .map((b) => b.text?.text.replace(/^```|```$/g, "") ?? "")
        .join("");
      const data = JSON.parse(text);
      expect(data.member).toEqual(ada);
      expect(data.entries).toContainEqual(
        expect.objectContaining({ movieId: 2571, kind: "like", title: "The Matrix (1999)" }),
      );
    });

    it("forgets the member after the confirmation button: no row about them is left", async () => {
      await on.store.addLikes(bob, [6]);
      const ask = await command("forget");
      expect(JSON.stringify(ask)).toContain("Forget everything I remember about you");
      // Nothing is deleted by asking.
      expect(movieIdsOf(await on.store.entries(ada), "like")).toContain(2571);
      const done = await click("forget_confirm", "forget");
      expect(JSON.stringify(done)).toContain("I forgot everything about you");
      expect(JSON.stringify(done)).toContain("within a day");
      for (const table of ["member_movies", "member_settings"]) {
        expect(
          await on.engine.count(
            `SELECT COUNT(*) AS count FROM ${table} WHERE member_id IN (SELECT id FROM members WHERE workspace = 'T1' AND user_id = 'U1')`,
          ),
        ).toBe(0);
      }
      expect(
        await on.engine.count(
          "SELECT COUNT(*) AS count FROM members WHERE workspace = 'T1' AND user_id = 'U1'",
        ),
      ).toBe(0);
      // Someone else's rows stay.
      expect(movieIdsOf(await on.store.entries(bob), "like")).toEqual([6]);
    });

    it("deletes a workspace's members when it uninstalls the app", async () => {
      await on.store.addLikes(elsewhere, [1]);
      expect((await sendEvent(on.h.url, "T1", { type: "app_uninstalled" })).status).toBe(200);
      await expect
        .poll(() => on.engine.count("SELECT COUNT(*) AS count FROM members WHERE workspace = 'T1'"))
        .toBe(0);
      expect(movieIdsOf(await on.store.entries(elsewhere), "like")).toEqual([1]);
      // tokens_revoked for the bot token does the same.
      await on.store.addLikes(bob, [6]);
      const revoked = { type: "tokens_revoked", tokens: { bot: ["B1"] } };
      expect((await sendEvent(on.h.url, "T1", revoked)).status).toBe(200);
      await expect
        .poll(() => on.engine.count("SELECT COUNT(*) AS count FROM members WHERE workspace = 'T1'"))
        .toBe(0);
    });

    it("50 members clicking 👍 at once are all stored, each once", async () => {
      const reply = await command("Toy Story");
      const like = buttons(reply).find((b) => b.action_id === "taste_like");
      if (!like) throw new Error("no 👍");
      const movieId = JSON.parse(like.value).m as number;
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const payload = buttonClick(
            like.action_id,
            like.value,
            on.h.slack.responseUrl(`crowd${i}`),
          );
          payload.user = { ...payload.user, id: `UC${i}` };
          expect((await sendPayload(on.h.url, payload)).status).toBe(200);
          await on.h.slack.waitForReplies(`crowd${i}`);
        }),
      );
      expect(
        await on.engine.count(
          `SELECT COUNT(*) AS count FROM member_movies mm JOIN members m ON m.id = mm.member_id WHERE mm.movie_id = ${movieId} AND mm.kind = 'like' AND m.user_id LIKE 'UC%'`,
        ),
      ).toBe(50);
    });
  },
);
