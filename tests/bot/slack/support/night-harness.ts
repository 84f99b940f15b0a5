import { webApi } from "@slack/bolt";
import pino from "pino";
import { HttpServer } from "../../../../bot/http/server.ts";
import { BullmqNightTimers } from "../../../../bot/queue/bullmq-night-timers.ts";
import { startNightWorker } from "../../../../bot/queue/night-worker.ts";
import { createProducerConnection } from "../../../../bot/queue/redis-connections.ts";
import { mention } from "../../../../bot/slack/movienight-blocks.ts";
import { createSlackApp, SLACK_EVENTS_PATH } from "../../../../bot/slack/slack-app.ts";
import { SlackNightPublisher } from "../../../../bot/slack/slack-night-publisher.ts";
import { MemorySharedCardsStore } from "../../../../core/cards/shared-cards-store.ts";
import { InProcessJobQueue } from "../../../../core/jobs/in-process-job-queue.ts";
import { GroupRecommender } from "../../../../core/movienight/group-recommender.ts";
import { InProcessNightTimers } from "../../../../core/movienight/in-process-night-timers.ts";
import { MovieNightService } from "../../../../core/movienight/movie-night-service.ts";
import type { NightTimers } from "../../../../core/movienight/night-ports.ts";
import { FakeSearch, fakeCards } from "../../../support/fakes.ts";
import { eventually, type NightEngine } from "../../../support/movie-night-engines.ts";
import { TableRecommender } from "../../../support/table-recommender.ts";
import type { FakeSlack } from "./fake-slack.ts";
import { buttonClick, SIGNING_SECRET } from "./signed-requests.ts";

export interface NightHarnessOptions {
  engine: NightEngine;
  slack: FakeSlack;
  joinMs?: number;
  voteMs?: number;
  /** With Redis: BullMQ timers, and (when `worker`) a night worker in this "process". */
  redis?: { url: string; queueName: string; worker: boolean };
}

/**
 * One moviebot process for movie nights: the real Bolt app behind the real HttpServer, the real
 * stores on the test's database, the real publisher talking to the FakeSlack's Web API, and the
 * timers (in-process, or BullMQ on a real Redis). Several may share one database and one FakeSlack,
 * as two instances or a restart do.
 */
export async function startNightHarness(options: NightHarnessOptions) {
  const logger = pino({ level: "silent" });
  const { slack, engine } = options;
  const taste = await engine.openTaste();
  const store = await engine.openNights();
  const search = new FakeSearch();
  // Each member's list, as a same-genre recommender gives it over the tiny catalogue: Toy Story's
  // likers go to its sequel, Pulp Fiction and Dr. Strangelove; Heat's to The Matrix, Pulp Fiction
  // and Aliens. 296 is on both lists; the others tie in pairs.
  const recommender = new TableRecommender({ 1: [3114, 296, 7], 6: [2571, 296, 1200] });
  const cards = fakeCards({ search, recommender, taste });
  const client = new webApi.WebClient("xoxb-test-token", {
    slackApiUrl: `${slack.url}/api/`,
    retryConfig: { retries: 0 },
  });
  const publisher = new SlackNightPublisher({ client, cards, logger });
  const inProcess = options.redis ? null : new InProcessNightTimers();
  const timers: NightTimers =
    inProcess ??
    new BullmqNightTimers({
      redis: createProducerConnection(options.redis?.url as string),
      queueName: options.redis?.queueName as string,
    });
  const service = new MovieNightService({
    store,
    taste,
    group: new GroupRecommender(recommender, { misery: 0, pool: 50 }),
    timers,
    publishers: { slack: publisher },
    settings: {
      joinMinutes: (options.joinMs ?? 60_000) / 60_000,
      voteHours: (options.voteMs ?? 3_600_000) / 3_600_000,
    },
    labels: { slack: mention },
  });
  inProcess?.handle((job) => service.run(job));
  const worker =
    options.redis?.worker === true
      ? startNightWorker({
          redisUrl: options.redis.url,
          queueName: options.redis.queueName,
          service,
          logger,
        })
      : null;
  await worker?.ready();
  await service.restore();
  const jobs = new InProcessJobQueue({ handler: async () => {} });
  const app = createSlackApp({
    signingSecret: SIGNING_SECRET,
    botToken: "xoxb-test-token",
    apiUrl: `${slack.url}/api/`,
    cards,
    search,
    jobs,
    taste,
    logger,
    responseUrlOrigins: [slack.url],
    shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
    movienight: { service, publisher },
  });
  await app.start();
  const server = new HttpServer(logger);
  if (!app.router) throw new Error("HTTP mode expected");
  server.ready(app.router);
  const port = await server.listen(0, "127.0.0.1");
  let closed = false;
  return {
    service,
    store,
    taste,
    timers,
    url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
    /** Stops this "process": its timers and worker die with it, the database stays. */
    async close() {
      if (closed) return;
      closed = true;
      await app.stop();
      await server.close();
      await worker?.close();
      await timers.close();
      await store.close();
      await taste.close();
    },
  };
}

export type NightHarness = Awaited<ReturnType<typeof startNightHarness>>;

/** A chat.postMessage / chat.update body's blocks, parsed (the Web API sends them as JSON text). */
export function blocksOfCall(
  body: Record<string, unknown>,
): { type: string; [k: string]: unknown }[] {
  const blocks = body.blocks;
  if (typeof blocks === "string") return JSON.parse(blocks);
  return Array.isArray(blocks) ? blocks : [];
}

/** Every text of a message (sections' mrkdwn), joined, for assertions on what people read. */
export function textOfCall(body: Record<string, unknown>): string {
  return blocksOfCall(body)
    .map((b) => (b.text as { text?: string } | undefined)?.text ?? "")
    .join("\n");
}

/** The night the latest join post names (its I'm in button carries the id). */
export function nightIdOf(slack: FakeSlack): string {
  const post = slack
    .calls("chat.postMessage")
    .findLast((b) => textOfCall(b).includes("Press *I'm in*"));
  const actions = blocksOfCall(post ?? {}).find((b) => b.type === "actions") as
    | { elements: { value: string }[] }
    | undefined;
  const id = actions?.elements[0]?.value;
  if (!id) throw new Error("no join post");
  return id;
}

/**
 * The latest night once its join post is out and its ts stored (the post reaches Slack a moment
 * before the ts is saved; a click in between finds no message to redraw).
 */
export async function postedNight(
  slack: FakeSlack,
  store: { night(id: string): Promise<{ joinMessage: string | null } | null> },
): Promise<string> {
  const id = await eventually(() => nightIdOf(slack));
  await eventually(async () => {
    if (!(await store.night(id))?.joinMessage) throw new Error("join post not stored yet");
  });
  return id;
}

/** A /movienight command from `user` in channel C1 of team T1. */
export function nightCommand(text: string, responseUrl: string, user = "U1"): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T1",
    team_domain: "moviebot-test",
    channel_id: "C1",
    channel_name: "movies",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/movienight",
    text,
    api_app_id: "A1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.random()}`,
  }).toString();
}

/** A click on a movie-night button in a channel message (not ephemeral), by `user`. */
export function nightClick(
  actionId: string,
  value: string,
  responseUrl: string,
  user: string,
  selected: number[] = [],
) {
  return {
    ...buttonClick(actionId, value, responseUrl, selected, "movienight"),
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T1" },
    container: {
      type: "message",
      message_ts: "1700000000.000001",
      channel_id: "C1",
      is_ephemeral: false,
    },
  };
}
