import { expect, it } from "vitest";
import { commandManifest } from "../../../bot/discord/commands/index.ts";
import { memberId, movieIdsOf } from "../../../core/members/taste-store.ts";
import { describeEachEngineWith } from "../../support/stores.ts";
import { customIds, EPHEMERAL, type ResponseBody, startEndpoint } from "./http-harness.ts";
import * as payload from "./interactions.ts";

// /watchlist, /export and /forget-me through signed interactions, against the real databases.
const GUILD = "333333333333333333";
const USER = "444444444444444444";
const ada = memberId("discord", GUILD, USER);
const other = memberId("discord", GUILD, "777");

function clickOn(message: ResponseBody, customId: string) {
  const click = payload.button(customId);
  return {
    ...click,
    message: { ...click.message, components: message.data?.components ?? [], flags: EPHEMERAL },
  };
}

it("the command manifest lists /watchlist, /export and /forget-me", () => {
  const names = commandManifest().map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining(["watchlist", "export", "forget-me"]));
});

describeEachEngineWith(
  "Discord privacy",
  { start: (store) => startEndpoint({ taste: store }), stop: (h) => h.stop() },
  (on) => {
    it("/watchlist lists the films with ✕ buttons; a removal redraws the list", async () => {
      await on.store.mark(ada, 6, "watchlist", true);
      await on.store.mark(ada, 318, "watchlist", true);
      const { body } = await on.h.post(payload.command("watchlist"));
      expect(body.data?.flags).toBe(EPHEMERAL);
      expect(body.data?.content).toContain("Heat (1995)");
      expect(customIds(body).sort()).toEqual(["watchlist:remove:318", "watchlist:remove:6"]);
      const after = await on.h.post(clickOn(body, "watchlist:remove:6"));
      expect(after.body.type).toBe(7);
      expect(after.body.data?.content).not.toContain("Heat (1995)");
      expect(movieIdsOf(await on.store.entries(ada), "watchlist")).toEqual([318]);
    });

    it("/export sends the member's data as JSON, privately", async () => {
      const { body } = await on.h.post(payload.command("export"));
      expect(body.data?.flags).toBe(EPHEMERAL);
      const json = /```json\n([\s\S]*)\n```/.exec(body.data?.content ?? "")?.[1] ?? "";
      const data = JSON.parse(json);
      expect(data.member).toEqual(ada);
      expect(data.entries).toContainEqual(
        expect.objectContaining({ movieId: 318, kind: "watchlist" }),
      );
    });

    it("/forget-me asks first, then deletes every row about the member", async () => {
      await on.store.addLikes(ada, [1, 6]);
      await on.store.addLikes(other, [6]);
      const { body } = await on.h.post(payload.command("forget-me"));
      expect(body.data?.content).toContain("2 likes");
      expect(customIds(body)).toEqual(["forget:confirm", "forget:cancel"]);
      const cancelled = await on.h.post(clickOn(body, "forget:cancel"));
      expect(cancelled.body.data?.content).toContain("Nothing was deleted");
      expect(movieIdsOf(await on.store.entries(ada), "like").length).toBe(2);
      const done = await on.h.post(clickOn(body, "forget:confirm"));
      expect(done.body.type).toBe(7);
      expect(done.body.data?.content).toContain("I forgot everything about you");
      expect(
        await on.engine.count(
          `SELECT COUNT(*) AS count FROM member_movies WHERE member_id IN (SELECT id FROM members WHERE user_id = '${USER}')`,
        ),
      ).toBe(0);
      expect(
        await on.engine.count(`SELECT COUNT(*) AS count FROM members WHERE user_id = '${USER}'`),
      ).toBe(0);
      expect(movieIdsOf(await on.store.entries(other), "like")).toEqual([6]);
    });
  },
);
