import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, movieIdsOf } from "../../../../core/members/taste-store.ts";
import { type NightEngine, nightEngines } from "../../../support/movie-night-engines.ts";
import { DiscordChannelsStandIn, MISSING_ACCESS } from "../discord-channels-stand-in.ts";
import { type Endpoint, EPHEMERAL, startEndpoint } from "../http-harness.ts";
import {
  ADA,
  BEN,
  CHANNEL,
  GUILD,
  NEWBIE,
  type NightProcess,
  nightClickPayload,
  nightCommand,
  nightProcess,
  seedMembers,
} from "../night-harness.ts";

// Signed /movienight interactions into the real Discord endpoint, the real databases, and a local
// stand-in for Discord's channel API (the bot token's posts).
const USER_OPTION = 6;
const NAMED = "555555555555555559";

for (const [name, makeEngine, skipReason] of await nightEngines()) {
  const suite = skipReason ? describe.skip : describe;
  suite(`Discord /movienight on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let api: DiscordChannelsStandIn;
    let bot: NightProcess;
    let h: Endpoint;

    beforeAll(async () => {
      engine = await makeEngine();
      api = new DiscordChannelsStandIn();
      await api.start();
      bot = await nightProcess(engine, api);
      await seedMembers(bot.taste);
      h = await startEndpoint({ taste: bot.taste, rest: api, movienight: bot.movienight });
    });
    afterAll(async () => {
      await h?.stop();
      await bot?.stop();
      await engine?.dispose();
    });

    /** Starts a night as ada, naming `named`; returns its id and join post. */
    async function start(named: string[] = []) {
      const before = api.posted(CHANNEL).length;
      const options = Object.fromEntries(
        named.map((user, i) => [`member${i + 1}`, { type: USER_OPTION, value: user }]),
      );
      const command = nightCommand("start", options);
      const res = await h.post(command);
      expect(res.body.type).toBe(5);
      expect(res.body.data?.flags).toBe(EPHEMERAL);
      const reply = await api.next(
        (r) =>
          r.method === "PATCH" && r.path.includes(`/webhooks/`) && r.path.includes(command.token),
      );
      const post = api.posted(CHANNEL)[before];
      if (!post) throw new Error("no join post");
      const join = JSON.stringify(post.body).match(/movienight:join:([0-9a-f-]{36})/)?.[1];
      return { reply: reply.body as { content: string }, post, nightId: join as string };
    }

    it("starts a night: the join post with the bot token, named members without a profile asked in it", async () => {
      const { reply, post, nightId } = await start([BEN, NAMED]);
      expect(reply.content).toContain("Your movie night is posted in this channel");
      const body = post.body as { content: string; allowed_mentions: { users: string[] } };
      expect(body.content).toContain(`<@${ADA}> started a movie night`);
      expect(body.content).toContain(`**In:** <@${ADA}>, <@${BEN}>, <@${NAMED}>`);
      expect(body.content).toContain(`<@${NAMED}>: I don't know your taste yet`);
      expect(body.allowed_mentions.users).toEqual([NAMED]);
      expect(JSON.stringify(post.body)).toContain(`movienight:cancel:${nightId}`);
      const request = api.to("POST", /\/channels\/\d+\/messages$/).at(-1);
      expect(request?.headers.authorization).toBe("Bot bot-token-for-tests");
      const night = await bot.service.night(nightId);
      expect(night.joinMessage).toBe(post.id);
    });

    it("I'm in: a member with a profile is in and the join post is redrawn by the click's answer", async () => {
      const { nightId } = await start();
      const res = await h.post(nightClickPayload(`movienight:join:${nightId}`, BEN));
      expect(res.body.type).toBe(7);
      expect(res.body.data?.content).toContain(`**In:** <@${ADA}>, <@${BEN}>`);
      const again = await h.post(nightClickPayload(`movienight:join:${nightId}`, BEN));
      expect(again.body.data?.content).toBe("You're in already. 🍿");
      expect(again.body.data?.flags).toBe(EPHEMERAL);
    });

    it("a joiner without a profile picks three films in an ephemeral picker first", async () => {
      const { nightId, post } = await start();
      const click = nightClickPayload(`movienight:join:${nightId}`, NEWBIE);
      const res = await h.post(click);
      expect(res.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
      const picker = (await api.next((r) => r.method === "PATCH" && r.path.includes(click.token)))
        .body as {
        components: {
          components: {
            custom_id: string;
            min_values: number;
            max_values: number;
            options: { value: string }[];
          }[];
        }[];
      };
      const select = picker.components[0]?.components[0];
      expect(select?.custom_id).toBe(`movienight:picks:${nightId}`);
      expect([select?.min_values, select?.max_values]).toEqual([3, 3]);
      expect(select?.options.length).toBeGreaterThanOrEqual(3);
      // The join post now names them as still to pick.
      await expect.poll(() => api.messages.get(post.id)?.edits.length).toBeGreaterThan(0);
      expect(JSON.stringify(api.messages.get(post.id)?.edits.at(-1))).toContain(
        `<@${NEWBIE}>: I don't know your taste yet`,
      );

      const tooFew = await h.post(
        nightClickPayload(`movienight:picks:${nightId}`, NEWBIE, ["1"], true),
      );
      expect(tooFew.body.data?.content).toContain("Pick 3 movies you like (you picked 1)");
      const values = ["2571", "318", "296"];
      const saved = await h.post(
        nightClickPayload(`movienight:picks:${nightId}`, NEWBIE, values, true),
      );
      expect(saved.body.type).toBe(7);
      expect(saved.body.data?.content).toContain("Thanks! You're in");
      const likes = movieIdsOf(await bot.taste.entries(memberId("discord", GUILD, NEWBIE)), "like");
      expect([...likes].sort((a, b) => a - b)).toEqual([296, 318, 2571]);
      await expect
        .poll(() => JSON.stringify(api.messages.get(post.id)?.edits.at(-1)))
        .not.toContain("I don't know your taste yet");
    });

    it("only the starter cancels, and the posts say so", async () => {
      const { nightId, post } = await start();
      const byBen = await h.post(nightClickPayload(`movienight:cancel:${nightId}`, BEN));
      expect(byBen.body.data?.content).toBe("Only whoever started this movie night can cancel it.");
      expect(byBen.body.data?.flags).toBe(EPHEMERAL);
      const byAda = await h.post(nightClickPayload(`movienight:cancel:${nightId}`, ADA));
      expect(byAda.body.type).toBe(7);
      expect(byAda.body.data?.content).toBe(`🎬 This movie night was cancelled by <@${ADA}>.`);
      expect(byAda.body.data?.components).toEqual([]);
      expect((await bot.service.night(nightId)).state).toBe("cancelled");
      const late = await h.post(nightClickPayload(`movienight:join:${nightId}`, BEN));
      expect(late.body.data?.content).toBe("This movie night was cancelled.");
      await expect.poll(() => api.messages.get(post.id)?.edits.length).toBeGreaterThan(0);
    });

    it("schedule, list and off; a bad time is answered plainly", async () => {
      const bad = await h.post(
        nightCommand("schedule", {
          day: { type: 3, value: "fri" },
          time: { type: 3, value: "25:00" },
          zone: { type: 3, value: "Europe/Zurich" },
        }),
      );
      expect(bad.body.data?.content).toContain('"25:00" is not a time');
      const command = nightCommand("schedule", {
        day: { type: 3, value: "fri" },
        time: { type: 3, value: "19:00" },
        zone: { type: 3, value: "Europe/Zurich" },
      });
      expect((await h.post(command)).body.type).toBe(5);
      const done = await api.next((r) => r.method === "PATCH" && r.path.includes(command.token));
      expect((done.body as { content: string }).content).toBe(
        "Done: a movie night here every Friday at 19:00 (Europe/Zurich).",
      );
      expect(JSON.stringify(api.posted(CHANNEL).at(-1)?.body)).toContain(
        `<@${ADA}> set a weekly movie night here: every Friday at 19:00 (Europe/Zurich)`,
      );
      const list = await h.post(nightCommand("list"));
      expect(list.body.data?.content).toContain(`<#${CHANNEL}>: every Friday at 19:00`);
      const off = await h.post(nightCommand("off", {}, BEN));
      expect(off.body.data?.content).toBe(`<@${BEN}> stopped this channel's weekly movie night.`);
      expect(off.body.data?.flags).toBeUndefined();
      const again = await h.post(nightCommand("off"));
      expect(again.body.data?.content).toBe("This channel has no weekly movie night.");
    });

    it("the zone option suggests IANA time zones as you type", async () => {
      const typed = nightCommand("schedule", {
        day: { type: 3, value: "fri" },
        zone: { type: 3, value: "zuri" },
      });
      const options = typed.data.options[0]?.options ?? [];
      const res = await h.post({
        ...typed,
        type: 4,
        data: {
          ...typed.data,
          options: [
            {
              ...typed.data.options[0],
              options: options.map((o) => (o.name === "zone" ? { ...o, focused: true } : o)),
            },
          ],
        },
      });
      expect(res.body.type).toBe(8);
      expect(res.body.data?.choices).toEqual([{ name: "Europe/Zurich", value: "Europe/Zurich" }]);
    });

    it("a channel the bot cannot post in: the starter is told what is missing, no night stays open", async () => {
      api.refuse = (r) =>
        r.method === "POST" && /\/channels\/\d+\/messages$/.test(r.path) ? MISSING_ACCESS : null;
      try {
        const command = nightCommand("start");
        await h.post(command);
        const reply = await api.next((r) => r.method === "PATCH" && r.path.includes(command.token));
        const text = (reply.body as { content: string }).content;
        expect(text).toContain("Missing Access");
        expect(text).toContain("**View Channel**");
        expect(text).toContain("**Send Messages**");
        const open = (await bot.store.pending()).filter(
          (n) => n.platform === "discord" && n.joinMessage === null,
        );
        expect(open).toEqual([]);
      } finally {
        api.refuse = () => null;
      }
    });
  });
}
