import type { Logger } from "pino";
import { SqliteMovieNightStore } from "../../core/adapters/sqlite/sqlite-movie-night-store.ts";
import type { CardService } from "../../core/cards/card-service.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { GroupRecommender } from "../../core/movienight/group-recommender.ts";
import { InProcessNightTimers } from "../../core/movienight/in-process-night-timers.ts";
import type { MovieNightStore } from "../../core/movienight/movie-night.ts";
import { MovieNightService } from "../../core/movienight/movie-night-service.ts";
import type { NightPublishers, NightTimers } from "../../core/movienight/night-ports.ts";
import type { Recommender } from "../../core/recommend/recommender.ts";
import type { Config } from "../config.ts";
import type { DiscordNightPublisher } from "../discord/discord-night-publisher.ts";
import type { DiscordMovieNight } from "../discord/movienight-deps.ts";
import type { SlackMovieNight } from "../slack/listeners/listener-deps.ts";
import { mention } from "../slack/movienight-blocks.ts";
import type { SlackNightPublisher } from "../slack/slack-night-publisher.ts";
import { databaseEngine, databaseUrl } from "./taste-store-builder.ts";

export interface MovieNights {
  service: MovieNightService;
  /** What the Slack app needs for /movienight; absent when Slack is off. */
  slack?: SlackMovieNight;
  /** What the Discord adapter needs for /movienight; absent when Discord is off. */
  discord?: DiscordMovieNight;
  close(): Promise<void>;
}

/**
 * Movie nights (issue 15): the store on DATABASE_URL, the group recommender on the core's
 * recommender, a publisher per platform that is on, and the timers — BullMQ delayed jobs and job
 * schedulers with Redis (run by this process when `runJobs`), in-process timers without it, set
 * again from the database here. Each platform's, Redis's and PostgreSQL's modules are loaded only
 * when configured. Null when the core has no recommender or member store (tests'
 * stand-in cores) or the database cannot be opened (the log says why; the rest of the bot runs).
 */
export async function buildMovieNights(
  config: Config,
  core: { cards: CardService; recommender?: Recommender; members?: TasteStore },
  logger: Logger,
  options: { runJobs: boolean },
): Promise<MovieNights | null> {
  if (!core.recommender || !core.members) return null;
  const log = logger.child({ component: "movienight" });
  let store: MovieNightStore;
  try {
    store = await openNightStore(config);
  } catch (error) {
    log.error({ reason: (error as Error).message }, "movie nights off: database unavailable");
    return null;
  }
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const publishers: NightPublishers = {};
  let slackPublisher: SlackNightPublisher | undefined;
  if (config.slack) {
    const [{ webApi }, { SlackNightPublisher }] = await Promise.all([
      import("@slack/bolt"),
      import("../slack/slack-night-publisher.ts"),
    ]);
    const client = new webApi.WebClient(config.slack.botToken, {
      ...(config.slack.apiUrl ? { slackApiUrl: withSlash(config.slack.apiUrl) } : {}),
      retryConfig: { retries: 2 },
    });
    slackPublisher = new SlackNightPublisher({ client, cards: core.cards, logger: log });
    publishers.slack = slackPublisher;
  }
  let discordPublisher: DiscordNightPublisher | undefined;
  if (config.discord) {
    const [{ DiscordNightPublisher }, { createDiscordRest }] = await Promise.all([
      import("../discord/discord-night-publisher.ts"),
      import("../discord/rest-client.ts"),
    ]);
    // The bot token: a night's poll and winner come after the interaction token has expired.
    discordPublisher = new DiscordNightPublisher({
      rest: createDiscordRest({
        botToken: config.discord.botToken,
        ...(config.discord.apiUrl ? { apiUrl: config.discord.apiUrl } : {}),
      }),
      cards: core.cards,
      logger: log,
      voteHours: config.MOVIENIGHT_VOTE_HOURS,
    });
    publishers.discord = discordPublisher;
  }
  const inProcess = config.redis
    ? null
    : new InProcessNightTimers({
        onError: (error, job) =>
          log.warn({ job: job.kind, reason: (error as Error).message }, "movie-night step failed"),
      });
  const timers: NightTimers = inProcess ?? (await bullmqTimers(config, log));
  closers.unshift(() => timers.close());
  const service = new MovieNightService({
    store,
    taste: core.members,
    group: new GroupRecommender(core.recommender, { misery: config.MOVIENIGHT_MISERY }),
    timers,
    publishers,
    settings: {
      joinMinutes: config.MOVIENIGHT_JOIN_MINUTES,
      voteHours: config.MOVIENIGHT_VOTE_HOURS,
    },
    labels: { slack: mention, discord: mention },
  });
  if (inProcess) inProcess.handle((job) => service.run(job));
  if (config.redis && options.runJobs) {
    const { startNightWorker } = await import("../queue/night-worker.ts");
    const worker = startNightWorker({
      redisUrl: config.redis.url,
      queueName: config.queue.name,
      service,
      logger: log,
    });
    closers.unshift(() => worker.close());
  }
  // Closes due while the process was down, and every schedule's trigger, set again (with BullMQ
  // the derived job ids make this a no-op for what Redis still holds).
  await service
    .restore()
    .catch((error: unknown) =>
      log.warn({ reason: (error as Error).message }, "movie nights: could not restore timers"),
    );
  return {
    service,
    ...(slackPublisher ? { slack: { service, publisher: slackPublisher } } : {}),
    ...(discordPublisher ? { discord: { service, publisher: discordPublisher, logger: log } } : {}),
    async close() {
      for (const close of closers) await close().catch(() => {});
    },
  };
}

async function bullmqTimers(config: Config, log: Logger): Promise<NightTimers> {
  const [{ BullmqNightTimers }, { createProducerConnection }] = await Promise.all([
    import("../queue/bullmq-night-timers.ts"),
    import("../queue/redis-connections.ts"),
  ]);
  return new BullmqNightTimers({
    redis: createProducerConnection((config.redis as { url: string }).url),
    queueName: config.queue.name,
    onError: (error) => log.debug({ err: error.message }, "movie-night queue error"),
  });
}

async function openNightStore(config: Config): Promise<MovieNightStore> {
  const url = databaseUrl(config);
  if (databaseEngine(url) === "sqlite")
    return SqliteMovieNightStore.open(url.slice("sqlite:".length));
  const { PostgresMovieNightStore } = await import(
    "../../core/adapters/postgres/postgres-movie-night-store.ts"
  );
  const store = new PostgresMovieNightStore(url);
  // A PostgreSQL that is down now is retried on first use, as the member store does.
  await store.migrate().catch(() => {});
  return store;
}

/** WebClient joins method names onto the base URL, so it must end with a slash. */
function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
