import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { memberId } from "../../../core/members/taste-store.ts";
import { eventually, type NightEngine, nightEngines } from "../../support/movie-night-engines.ts";
import { FakeSlack } from "./support/fake-slack.ts";
import {
  blocksOfCall,
  type NightHarness,
  nightClick,
  nightCommand,
  nightIdOf,
  postedNight,
  startNightHarness,
  textOfCall,
} from "./support/night-harness.ts";
import { sendForm, sendPayload } from "./support/signed-requests.ts";

const member = (user: string) => memberId("slack", "T1", user);

const posts = (slack: FakeSlack, text: string) =>
  slack.calls("chat.postMessage").filter((b) => textOfCall(b).includes(text));

for (const [name, makeEngine, skipReason] of await nightEngines()) {
  const suite = skipReason ? describe.skip : describe;
  suite(`/movienight on Slack, ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let slack: FakeSlack;
    const harnesses: NightHarness[] = [];
    const start = async (options: { joinMs?: number; voteMs?: number } = {}) => {
      const h = await startNightHarness({ engine, slack, ...options });
      harnesses.push(h);
      return h;
    };

    beforeAll(async () => {
      engine = await makeEngine();
      const taste = await engine.openTaste();
      await taste.addLikes(member("U1"), [1]); // Toy Story
      await taste.addLikes(member("U2"), [6]); // Heat
      for (const id of [3114, 296, 7, 2571, 1200])
        await taste.mark(member("UVETO"), id, "seen", true);
      await taste.close();
    });
    afterEach(async () => {
      for (const h of harnesses.splice(0)) await h.close();
      await slack?.close();
    });
    afterAll(async () => {
      await engine?.dispose();
    });

    beforeEach(async () => {
      slack = await new FakeSlack().start();
    });

    it("starts a night in the channel, asks named members without a profile, and gives joiners the picker", async () => {
      const h = await start();
      const res = await sendForm(
        h.url,
        nightCommand("<@U2|ben> <@U3|newbie>", slack.responseUrl("cmd")),
      );
      expect(res.status).toBe(200);
      await eventually(() => expect(posts(slack, "started a movie night")).toHaveLength(1));
      const join = posts(slack, "started a movie night")[0] as Record<string, unknown>;
      expect(join.channel).toBe("C1");
      expect(textOfCall(join)).toContain("*In:* <@U1>, <@U2>, <@U3>");
      expect(textOfCall(join)).toMatch(/<@U3>: I don't know your taste yet/);
      const nightId = await postedNight(slack, h.store);

      // U4 has no profile: the click's response_url brings the picker, only to them.
      await sendPayload(
        h.url,
        nightClick("movienight_join", nightId, slack.responseUrl("u4"), "U4"),
      );
      const [picker] = await slack.waitForReplies("u4");
      expect(picker).toMatchObject({ response_type: "ephemeral" });
      expect(JSON.stringify(picker)).toContain("Pick 3 movies you like");
      // Two picks are not three.
      await sendPayload(
        h.url,
        nightClick("movienight_save_picks", nightId, slack.responseUrl("u4"), "U4", [1, 6]),
      );
      await slack.waitForReplies("u4", 2);
      expect(JSON.stringify(slack.repliesTo("u4")[1])).toContain("you picked 2");
      await sendPayload(
        h.url,
        nightClick("movienight_save_picks", nightId, slack.responseUrl("u4"), "U4", [1, 6, 2571]),
      );
      await slack.waitForReplies("u4", 3);
      expect(slack.repliesTo("u4")[2]).toMatchObject({ replace_original: true });
      expect((await h.taste.entries(member("U4"))).map((e) => e.movieId).sort()).toEqual([
        1, 2571, 6,
      ]);
      // The join post is redrawn: U4 is in and no longer asked for picks.
      await eventually(() => {
        const last = slack.calls("chat.update").at(-1) ?? {};
        expect(textOfCall(last)).toContain("<@U4>");
        expect(textOfCall(last)).not.toMatch(/<@U4>[^\n]*I don't know your taste/);
      });
    });

    it("says how to invite the bot when it is not in the channel, and leaves no night behind", async () => {
      const h = await start();
      const before = Date.now();
      slack.script("/api/chat.postMessage", {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ok: false, error: "not_in_channel" }),
      });
      await sendForm(h.url, nightCommand("", slack.responseUrl("cmd")));
      const [reply] = await slack.waitForReplies("cmd");
      expect(reply).toMatchObject({ response_type: "ephemeral" });
      expect(JSON.stringify(reply)).toContain("/invite @moviebot");
      expect((await h.store.pending()).filter((n) => n.createdAt >= before)).toEqual([]);
    });

    it("says chat:write is missing when Slack answers missing_scope", async () => {
      const h = await start();
      slack.script("/api/chat.postMessage", {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ok: false, error: "missing_scope", needed: "chat:write" }),
      });
      await sendForm(
        h.url,
        nightCommand("schedule fri 19:00 Europe/Zurich", slack.responseUrl("cmd")),
      );
      const [reply] = await slack.waitForReplies("cmd");
      expect(JSON.stringify(reply)).toContain("chat:write");
      expect(await h.service.schedules("slack", "T1")).toEqual([]);
    });

    it("counts 50 members voting within a second exactly (some twice, some changing), live and at the close", async () => {
      const h = await start();
      await sendForm(h.url, nightCommand("<@U2|ben>", slack.responseUrl("cmd")));
      await eventually(() => expect(posts(slack, "started a movie night")).toHaveLength(1));
      const nightId = await postedNight(slack, h.store);
      const candidates = await h.service.closeJoining(nightId);
      // 296 is on both members' lists; the rest tie in pairs, the lower id first.
      expect(candidates?.map((c) => c.movieId)).toEqual([296, 2571, 3114, 7, 1200]);
      const poll = posts(slack, "vote for one film")[0] as Record<string, unknown>;
      expect(textOfCall(poll)).toContain("Liked by people who liked <@U1>'s and <@U2>'s picks");
      expect(JSON.stringify(blocksOfCall(poll))).toContain("https://posters.example/296.jpg");

      const films = [296, 2571, 3114, 7, 1200]; // in rank order: a tie goes to the earlier one
      const final = new Map<string, number>();
      const clicks: Promise<Response>[] = [];
      const vote = (user: string, movieId: number) =>
        sendPayload(
          h.url,
          nightClick(
            "movienight_vote",
            `${nightId}|${movieId}`,
            slack.responseUrl(`v${user}`),
            user,
          ),
        );
      for (let m = 0; m < 50; m++) {
        const user = `UV${m}`;
        const film = films[m % 5] as number;
        clicks.push(vote(user, film));
        if (m % 6 === 0) clicks.push(vote(user, film)); // a double click
        final.set(user, film);
      }
      // Slack hears the ack before the vote is stored: a change is sent once the first vote is
      // in (else it could overtake it), while the poll is still being redrawn for the first wave.
      await eventually(async () =>
        expect([...(await h.service.tally(nightId)).values()].reduce((a, b) => a + b, 0)).toBe(50),
      );
      for (let m = 0; m < 50; m += 4) {
        clicks.push(vote(`UV${m}`, 7));
        final.set(`UV${m}`, 7);
      }
      const answers = await Promise.all(clicks);
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const expected = new Map<number, number>();
      for (const film of final.values()) expected.set(film, (expected.get(film) ?? 0) + 1);
      await eventually(async () =>
        expect(Object.fromEntries(await h.service.tally(nightId))).toEqual(
          Object.fromEntries(expected),
        ),
      );
      // The live poll settles on the exact tally (edits are coalesced, the last one reads the rows).
      await eventually(
        () => {
          const last = slack
            .calls("chat.update")
            .filter((b) => textOfCall(b).includes("vote for one film"))
            .at(-1);
          expect(textOfCall(last ?? {})).toContain("50 votes so far");
          expect(textOfCall(last ?? {})).toContain(`*${expected.get(7)} votes*`);
        },
        { timeout: 10_000 },
      );

      await Promise.all([h.service.closeVoting(nightId), h.service.closeVoting(nightId)]);
      const winners = posts(slack, "Tonight's film");
      expect(winners).toHaveLength(1);
      const [top] = [...expected].sort(
        (a, b) => b[1] - a[1] || films.indexOf(a[0]) - films.indexOf(b[0]),
      );
      expect(textOfCall(winners[0] as Record<string, unknown>)).toContain(
        `with ${top?.[1]} votes of 50`,
      );
    }, 30_000);

    it("tells the channel when every film is vetoed, and posts no poll", async () => {
      const h = await start();
      await sendForm(h.url, nightCommand("<@UVETO|vera>", slack.responseUrl("cmd")));
      await eventually(() => expect(posts(slack, "started a movie night")).toHaveLength(1));
      await h.service.closeJoining(await postedNight(slack, h.store));
      expect(posts(slack, "vote for one film")).toEqual([]);
      expect(textOfCall(posts(slack, "No vote this time")[0] ?? {})).toMatch(/vetoed/);
    });

    it("lets only the starter cancel", async () => {
      const h = await start();
      await sendForm(h.url, nightCommand("", slack.responseUrl("cmd")));
      await eventually(() => expect(posts(slack, "started a movie night")).toHaveLength(1));
      const nightId = await postedNight(slack, h.store);
      await sendPayload(
        h.url,
        nightClick("movienight_cancel", nightId, slack.responseUrl("u2"), "U2"),
      );
      expect(JSON.stringify((await slack.waitForReplies("u2"))[0])).toContain(
        "Only whoever started",
      );
      await sendPayload(
        h.url,
        nightClick("movienight_cancel", nightId, slack.responseUrl("u1"), "U1"),
      );
      await eventually(() =>
        expect(
          slack.calls("chat.update").some((b) => textOfCall(b).includes("was cancelled by <@U1>")),
        ).toBe(true),
      );
      expect((await h.store.night(nightId))?.state).toBe("cancelled");
    });

    it("announces the winner once after a restart before the close (two processes come back)", async () => {
      const first = await start({ joinMs: 200, voteMs: 1_500 });
      await sendForm(first.url, nightCommand("<@U2|ben>", slack.responseUrl("cmd")));
      await eventually(() => expect(posts(slack, "vote for one film")).toHaveLength(1), {
        timeout: 5000,
      });
      const nightId = nightIdOf(slack);
      await sendPayload(
        first.url,
        nightClick("movienight_vote", `${nightId}|3114`, slack.responseUrl("v"), "U2"),
      );
      await eventually(async () => expect((await first.service.tally(nightId)).get(3114)).toBe(1));
      await first.close(); // down before the vote closes
      await start({ joinMs: 200, voteMs: 1_500 });
      await start({ joinMs: 200, voteMs: 1_500 });
      await eventually(() => expect(posts(slack, "Tonight's film")).toHaveLength(1), {
        timeout: 5000,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(posts(slack, "Tonight's film")).toHaveLength(1);
      expect(textOfCall(posts(slack, "Tonight's film")[0] ?? {})).toContain("Toy Story 2");
    });

    it("sets, lists and stops the channel's weekly movie night, saying who did", async () => {
      const h = await start();
      await sendForm(
        h.url,
        nightCommand("schedule fri 19:00 Europe/Zurich", slack.responseUrl("set"), "U2"),
      );
      await slack.waitForReplies("set");
      expect(textOfCall(posts(slack, "set a weekly movie night")[0] ?? {})).toContain(
        "<@U2> set a weekly movie night here: every Friday at 19:00 (Europe/Zurich)",
      );
      await sendForm(h.url, nightCommand("schedule list", slack.responseUrl("list")));
      expect(JSON.stringify((await slack.waitForReplies("list"))[0])).toContain(
        "every Friday at 19:00",
      );
      await sendForm(
        h.url,
        nightCommand("schedule funday 19:00 Europe/Zurich", slack.responseUrl("bad")),
      );
      expect(JSON.stringify((await slack.waitForReplies("bad"))[0])).toContain("is not a weekday");
      await sendForm(h.url, nightCommand("schedule off", slack.responseUrl("off"), "U3"));
      const [off] = await slack.waitForReplies("off");
      expect(off).toMatchObject({ response_type: "in_channel" });
      expect(JSON.stringify(off)).toContain("<@U3> stopped this channel's weekly movie night");
      expect(await h.service.schedules("slack", "T1")).toEqual([]);
    });

    it("answers help and text it does not understand", async () => {
      const h = await start();
      const res = await sendForm(h.url, nightCommand("tonight please", slack.responseUrl("cmd")));
      const body = await res.json();
      expect(JSON.stringify(body)).toContain("only understand members named with @");
      expect(JSON.stringify(body)).toContain("/movienight schedule fri 19:00 Europe/Zurich");
    });
  });
}
