import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memberId } from "../../../core/members/taste-store.ts";
import { nextOccurrence } from "../../../core/movienight/weekly-schedule.ts";
import { type NightEngine, nightEngines } from "../../support/movie-night-engines.ts";
import { MOVIES } from "../../support/tiny-catalog.ts";
import {
  DiscordChannelsStandIn,
  MISSING_ACCESS,
  MISSING_PERMISSIONS,
} from "./discord-channels-stand-in.ts";
import {
  ADA,
  BEN,
  CHANNEL,
  GUILD,
  type NightProcess,
  nightProcess,
  seedMembers,
} from "./night-harness.ts";

// The Discord side of a night's timers: the poll posted as Discord's native poll, the tally read
// back from Discord at the close, the winner announced once (also by a restarted process).
const where = { platform: "discord" as const, workspace: GUILD, channel: CHANNEL };
const VETO = "555555555555555553";

interface PollShape {
  question: { text: string };
  answers: { poll_media: { text: string } }[];
  duration: number;
  allow_multiselect: boolean;
  layout_type: number;
}

for (const [name, makeEngine, skipReason] of await nightEngines()) {
  const suite = skipReason ? describe.skip : describe;
  suite(`Discord movie-night posts on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: NightEngine;
    let api: DiscordChannelsStandIn;
    const running: NightProcess[] = [];

    async function process_(options: Parameters<typeof nightProcess>[2] = {}) {
      const p = await nightProcess(engine, api, options);
      running.push(p);
      return p;
    }

    beforeAll(async () => {
      engine = await makeEngine();
      api = new DiscordChannelsStandIn();
      await api.start();
      const seed = await engine.openTaste();
      await seedMembers(seed);
      // Someone who has seen every film there is: with them, every candidate is vetoed.
      for (const movie of MOVIES)
        await seed.mark(memberId("discord", GUILD, VETO), movie.movieId, "seen", true);
      await seed.close();
    });
    afterEach(async () => {
      for (const p of running.splice(0)) await p.stop();
      api.refuse = () => null;
      api.finalized = true;
    });
    afterAll(async () => {
      await api?.stop();
      await engine?.dispose();
    });

    /** A night of ada and ben whose joining has closed: the poll is up. */
    async function nightWithPoll(p: NightProcess) {
      const view = await p.service.start({ ...where, starter: ADA, named: [BEN] });
      const candidates = await p.service.closeJoining(view.night.id);
      const night = await p.service.night(view.night.id);
      const poll = api.messages.get(night.pollMessage ?? "");
      if (!candidates || !poll) throw new Error("no poll posted");
      return { night, candidates, poll };
    }

    const winnerPosts = () =>
      api.posted(CHANNEL).filter((m) => String(m.body.content ?? "").startsWith("🏆"));

    it("posts the posters, then the vote as a native poll in its own message", async () => {
      const p = await process_({ voteHours: 2 });
      const { candidates, poll, night } = await nightWithPoll(p);
      expect(candidates).toHaveLength(5);
      const body = poll.body as { poll: PollShape; components?: unknown; embeds?: unknown };
      expect(body.poll.question.text).toBe("🎬 Which film tonight?");
      expect(body.poll.answers).toHaveLength(5);
      for (const answer of body.poll.answers)
        expect(answer.poll_media.text.length).toBeLessThanOrEqual(55);
      expect(body.poll.answers[0]?.poll_media.text).toMatch(/\(\d{4}\)$/);
      expect(body.poll.duration).toBe(2);
      expect(body.poll.allow_multiselect).toBe(false);
      expect(body.poll.layout_type).toBe(1);
      // A poll cannot carry Components V2: no components and no embeds beside it.
      expect(body.components).toBeUndefined();
      expect(body.embeds).toBeUndefined();
      const posters = api.posted(CHANNEL).at(-2)?.body as {
        embeds: { thumbnail?: { url: string } }[];
      };
      expect(posters.embeds).toHaveLength(5);
      expect(posters.embeds[0]?.thumbnail?.url).toMatch(/^https:\/\/posters\.example\//);
      expect(night.state).toBe("voting");
    });

    it("at the close reads Discord's tally (after End Poll) and announces the winner once", async () => {
      const p = await process_();
      const { night, candidates, poll } = await nightWithPoll(p);
      // Discord's users vote: answer 3 leads.
      api.vote(poll.id, 1, ["901"]);
      api.vote(poll.id, 3, ["902", "903", "904"]);
      const before = winnerPosts().length;
      const winner = await p.service.closeVoting(night.id);
      expect(winner).toBe(candidates[2]?.movieId);
      expect(api.to("POST", new RegExp(`/polls/${poll.id}/expire$`))).toHaveLength(1);
      const posts = winnerPosts();
      expect(posts).toHaveLength(before + 1);
      const announced = posts.at(-1)?.body as { content: string; embeds: { title: string }[] };
      expect(announced.content).toContain("with 3 votes of 4");
      expect(announced.embeds[0]?.title).toContain(
        MOVIES.find((m) => m.movieId === candidates[2]?.movieId)?.title,
      );
      const read = api.to("GET", new RegExp(`/channels/${CHANNEL}/messages/${poll.id}$`)).at(-1);
      expect(read?.headers.authorization).toBe("Bot bot-token-for-tests");
      // A second run (a retry, another worker) finds it closed: no second announcement.
      expect(await p.service.closeVoting(night.id)).toBeNull();
      expect(winnerPosts()).toHaveLength(before + 1);
    });

    it("two workers closing the same poll at once announce it once", async () => {
      const a = await process_();
      const b = await process_();
      const { night, poll } = await nightWithPoll(a);
      api.vote(poll.id, 1, ["931", "932"]);
      const before = winnerPosts().length;
      const results = await Promise.all([
        a.service.closeVoting(night.id),
        b.service.closeVoting(night.id),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(winnerPosts()).toHaveLength(before + 1);
    });

    it("a tie goes to the better group score; an unfinalised count is read voter by voter", async () => {
      const p = await process_();
      const { night, candidates, poll } = await nightWithPoll(p);
      api.finalized = false;
      api.vote(poll.id, 2, ["911", "912"]);
      api.vote(poll.id, 4, ["913", "914"]);
      expect(await p.service.closeVoting(night.id)).toBe(candidates[1]?.movieId);
      expect(api.to("GET", new RegExp(`/polls/${poll.id}/answers/\\d+`)).length).toBeGreaterThan(0);
      expect(String(winnerPosts().at(-1)?.body.content)).toContain("with 2 votes of 4");
    });

    it("after a restart the close still runs from the database, and announces once", async () => {
      let clock = Date.now();
      const first = await process_({ now: () => clock });
      const { night, candidates, poll } = await nightWithPoll(first);
      api.vote(poll.id, 5, ["921"]);
      // Every night still voting (earlier tests' too) is closed by the restored timers, each once.
      const voting = (await first.store.pending()).filter((n) => n.state === "voting").length;
      await first.stop();
      running.splice(running.indexOf(first), 1);
      const before = winnerPosts().length;
      // The process was down past the vote's end; the next one restores the close from the rows.
      clock += 2 * 3_600_000;
      const second = await process_({ now: () => clock });
      await second.service.restore();
      await expect.poll(() => winnerPosts().length).toBe(before + voting);
      expect((await second.service.night(night.id)).winner).toBe(candidates[4]?.movieId);
      expect(api.to("POST", new RegExp(`/polls/${poll.id}/expire$`))).toHaveLength(1);
      const third = await process_({ now: () => clock });
      await third.service.restore();
      await third.service.run({ kind: "close-voting", nightId: night.id });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(winnerPosts()).toHaveLength(before + voting);
    });

    it("a weekly occurrence posts a join post naming who set it; the starter's Cancel ends the poll", async () => {
      const p = await process_();
      const when = { weekday: 5, time: "19:00", timeZone: "Europe/Zurich" };
      const schedule = await p.service.setSchedule(where, when, BEN);
      const firedAt = nextOccurrence(when, Date.now());
      const view = await p.service.runOccurrence(schedule.id, firedAt);
      if (!view) throw new Error("no occurrence");
      const join = api.posted(CHANNEL).at(-1)?.body as { content: string };
      expect(join.content).toContain(
        "**Weekly movie night!** (every Friday at 19:00 (Europe/Zurich)",
      );
      expect(join.content).toContain(`set by <@${BEN}>`);
      expect((await p.service.night(view.night.id)).joinMessage).toBe(
        api.posted(CHANNEL).at(-1)?.id,
      );
      // A second run of the same occurrence (another worker) posts nothing.
      const posts = api.posted(CHANNEL).length;
      expect(await p.service.runOccurrence(schedule.id, firedAt + 30_000)).toBeNull();
      expect(api.posted(CHANNEL)).toHaveLength(posts);
      await p.service.removeSchedule(where);

      // A night in its vote, cancelled by its starter: the poll is ended, the posts say so.
      const { night, poll } = await nightWithPoll(p);
      const cancelled = await p.service.cancel(night.id, ADA);
      await p.publisher.cancelled(cancelled);
      expect(api.ended.has(poll.id)).toBe(true);
      const all = api.posted(CHANNEL);
      const posters = all[all.findIndex((m) => m.id === poll.id) - 1];
      expect(String(posters?.body.content)).toMatch(/^🍿/);
      expect(posters?.edits.at(-1)).toMatchObject({
        content: `🎬 This movie night was cancelled by <@${ADA}>.`,
        components: [],
        embeds: [],
      });
    });

    it("a weekly post Discord refuses is told to whoever set the schedule", async () => {
      const p = await process_();
      const when = { weekday: 2, time: "20:30", timeZone: "America/New_York" };
      const schedule = await p.service.setSchedule(where, when, BEN);
      api.refuse = (r) =>
        r.method === "POST" && r.path.endsWith(`/channels/${CHANNEL}/messages`)
          ? MISSING_ACCESS
          : null;
      await expect(
        p.service.runOccurrence(schedule.id, nextOccurrence(when, Date.now())),
      ).rejects.toThrow(/Discord refused/);
      const dm = String(api.posted(`dm-${BEN}`).at(-1)?.body.content);
      expect(dm).toContain("Missing Access");
      expect(dm).toContain("**View Channel**");
      await p.service.removeSchedule(where);
    });

    it("a group where every film is vetoed gets a clear message, not an empty poll", async () => {
      const p = await process_();
      const polls = api.polls().length;
      const view = await p.service.start({ ...where, starter: ADA, named: [VETO] });
      expect(await p.service.closeJoining(view.night.id)).toBeNull();
      expect(api.polls()).toHaveLength(polls);
      const notice = String(api.posted(CHANNEL).at(-1)?.body.content);
      expect(notice).toMatch(/^🎬 No vote this time: /);
      expect((await p.service.night(view.night.id)).state).toBe("closed");
    });

    it("a 403 on the poll says in the channel that Send Polls is missing", async () => {
      const p = await process_();
      api.refuse = (r) =>
        (r.body as { poll?: unknown } | null)?.poll ? MISSING_PERMISSIONS : null;
      const view = await p.service.start({ ...where, starter: ADA, named: [BEN] });
      await expect(p.service.closeJoining(view.night.id)).rejects.toThrow(/Discord refused/);
      const notice = String(api.posted(CHANNEL).at(-1)?.body.content);
      expect(notice).toContain("Missing Permissions");
      expect(notice).toContain("**Send Polls**");
      // Nothing to close later: the night had no poll, so no winner is announced for it.
      const before = winnerPosts().length;
      await p.service.closeVoting(view.night.id);
      expect(winnerPosts()).toHaveLength(before);
    });

    it("a poll the bot cannot read back says Read Message History is missing, and announces nothing", async () => {
      const p = await process_();
      const { night, poll } = await nightWithPoll(p);
      api.refuse = (r) =>
        r.method === "GET" && r.path.includes(`/messages/${poll.id}`) ? MISSING_PERMISSIONS : null;
      const before = winnerPosts().length;
      await expect(p.service.closeVoting(night.id)).rejects.toThrow(/Discord refused/);
      expect(String(api.posted(CHANNEL).at(-1)?.body.content)).toContain(
        "**Read Message History**",
      );
      expect(winnerPosts()).toHaveLength(before);
      // Still voting: once the permission is granted, the next run of the close announces it.
      expect((await p.service.night(night.id)).state).toBe("voting");
      api.refuse = () => null;
      await p.service.closeVoting(night.id);
      expect(winnerPosts()).toHaveLength(before + 1);
    });

    it("when not even a plain message goes through, the starter is told directly", async () => {
      const p = await process_();
      api.refuse = (r) =>
        r.method === "POST" && r.path.endsWith(`/channels/${CHANNEL}/messages`)
          ? MISSING_PERMISSIONS
          : null;
      const view = await p.service.start({ ...where, starter: ADA, named: [BEN] });
      await expect(p.service.closeJoining(view.night.id)).rejects.toThrow(/Discord refused/);
      const dm = api.posted(`dm-${ADA}`).at(-1);
      expect(String(dm?.body.content)).toContain("Missing Permissions");
      expect(String(dm?.body.content)).toContain(`<#${CHANNEL}>`);
    });
  });
}
