import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { nightQueueName } from "../../../bot/queue/bullmq-night-timers.ts";
import { BULL_PREFIX } from "../../../bot/queue/queue-names.ts";
import { memberId } from "../../../core/members/taste-store.ts";
import { WEEKDAYS } from "../../../core/movienight/movie-night.ts";
import {
  eventually,
  type NightEngine,
  postgresNightEngine,
} from "../../support/movie-night-engines.ts";
import { postgresUnavailable } from "../../support/postgres-db.ts";
import { describeWith, itWith, requireRedis } from "../../support/requirements.ts";
import { FakeSlack } from "../slack/support/fake-slack.ts";
import {
  type NightHarness,
  nightClick,
  nightCommand,
  postedNight,
  startNightHarness,
  textOfCall,
} from "../slack/support/night-harness.ts";
import { sendForm, sendPayload } from "../slack/support/signed-requests.ts";

const redis = await requireRedis();
const pgDown = await postgresUnavailable();
const postgres = { available: pgDown === null, reason: pgDown ?? "" };

/** A whole UTC minute more than a minute away, as the schedule command's words. */
function nextMinute(): { words: string; at: number } {
  const now = Date.now();
  // More than a minute ahead: the run must find its occurrence from when it runs, not from when
  // the schedule was set (a job scheduler's first job is made then).
  const at = Math.ceil((now + 65_000) / 60_000) * 60_000;
  const date = new Date(at);
  const hh = String(date.getUTCHours()).padStart(2, "0");
  const mm = String(date.getUTCMinutes()).padStart(2, "0");
  return { words: `${WEEKDAYS[date.getUTCDay()]} ${hh}:${mm} UTC`, at };
}

describeWith(redis, postgres)("movie nights on BullMQ (Redis) and PostgreSQL", () => {
  let engine: NightEngine;
  let slack: FakeSlack;
  let queueName: string;
  const harnesses: NightHarness[] = [];
  const start = async (worker: boolean, times: { joinMs?: number; voteMs?: number } = {}) => {
    const h = await startNightHarness({
      engine,
      slack,
      ...times,
      redis: { url: redis.url, queueName, worker },
    });
    harnesses.push(h);
    return h;
  };
  const posts = (text: string) =>
    slack.calls("chat.postMessage").filter((b) => textOfCall(b).includes(text));

  beforeAll(async () => {
    engine = await postgresNightEngine();
    const taste = await engine.openTaste();
    await taste.addLikes(memberId("slack", "T1", "U1"), [1]);
    await taste.addLikes(memberId("slack", "T1", "U2"), [6]);
    await taste.close();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
    await slack?.close();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(nightQueueName(queueName), { connection, prefix: BULL_PREFIX });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const fresh = async () => {
    slack = await new FakeSlack().start();
    queueName = `moviebot-test-${process.pid}-${randomBytes(4).toString("hex")}`;
  };

  itWith(redis)(
    "posts one night per weekly occurrence with two workers, and a duplicate run posts nothing",
    async () => {
      await fresh();
      const [a] = [await start(true), await start(true)];
      const when = nextMinute();
      await sendForm(
        a?.url as string,
        nightCommand(`schedule ${when.words}`, slack.responseUrl("set")),
      );
      await slack.waitForReplies("set");
      expect(posts("set a weekly movie night")).toHaveLength(1);
      await eventually(() => expect(posts("Weekly movie night")).toHaveLength(1), {
        timeout: when.at - Date.now() + 15_000,
        interval: 200,
      });
      // A restart at the wrong moment runs the occurrence again: the claim keeps it to one post.
      const [schedule] = await (a as NightHarness).service.schedules("slack", "T1");
      await (a as NightHarness).service.run(
        { kind: "scheduled", scheduleId: schedule?.id as string },
        when.at + 2_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(posts("Weekly movie night")).toHaveLength(1);
      expect(textOfCall(posts("Weekly movie night")[0] ?? {})).toContain("set by <@U1>");
    },
    200_000,
  );

  itWith(redis)(
    "closes a night whose process died: the delayed jobs wait in Redis, another worker announces once",
    async () => {
      await fresh();
      const times = { joinMs: 300, voteMs: 2_000 };
      const producer = await start(false, times); // the bot process, no worker in it
      await sendForm(producer.url, nightCommand("<@U2|ben>", slack.responseUrl("cmd")));
      await eventually(() => expect(posts("started a movie night")).toHaveLength(1));
      const nightId = await postedNight(slack, producer.store);
      await producer.close(); // gone before joining even closes
      await Promise.all([start(true, times), start(true, times)]);
      await eventually(() => expect(posts("vote for one film")).toHaveLength(1), {
        timeout: 10_000,
      });
      const voter = harnesses.at(-1) as NightHarness;
      await sendPayload(
        voter.url,
        nightClick("movienight_vote", `${nightId}|2571`, slack.responseUrl("v"), "U1"),
      );
      await eventually(() => expect(posts("Tonight's film")).toHaveLength(1), { timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(posts("vote for one film")).toHaveLength(1);
      expect(posts("Tonight's film")).toHaveLength(1);
      expect(textOfCall(posts("Tonight's film")[0] ?? {})).toContain("The Matrix");
    },
    30_000,
  );
});
