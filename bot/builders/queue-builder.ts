import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import { InProcessJobQueue } from "../../core/jobs/in-process-job-queue.ts";
import type { JobQueue, JobResult, ReplyDeliverer, ReplyTarget } from "../../core/jobs/job.ts";
import { describeJob } from "../../core/jobs/job-schema.ts";
import { type Deliverers, runJob } from "../../core/jobs/run-job.ts";
import type { Sharing } from "../chat/share-cards.ts";
import type { Config } from "../config.ts";
import type { BullmqJobQueue } from "../queue/bullmq-job-queue.ts";
import { FallbackJobQueue } from "../queue/fallback-job-queue.ts";

/**
 * Where finished jobs are sent: each platform's response_url / interaction webhook. No bot
 * secrets. A private result's cards are kept in `sharing` under the id its Share button carries.
 */
export function buildDeliverers(config: Config, sharing: Sharing): Deliverers {
  return {
    slack: new LazyDeliverer(async () => {
      const { SlackDeliverer } = await import("../slack/slack-jobs.ts");
      return new SlackDeliverer({ allowedOrigins: config.SLACK_RESPONSE_URL_ORIGINS, sharing });
    }),
    discord: new LazyDeliverer(async () => {
      const [{ DiscordDeliverer }, { createDiscordRest }] = await Promise.all([
        import("../discord/discord-deliverer.ts"),
        import("../discord/rest-client.ts"),
      ]);
      // Interaction webhooks take the interaction token, not the bot token.
      return new DiscordDeliverer({
        rest: createDiscordRest({ apiUrl: config.DISCORD_API_URL }),
        sharing,
      });
    }),
  };
}

/**
 * A platform's deliverer, its client loaded with the first reply it sends: a process that never
 * replies on Slack (or Discord) never loads that platform's modules (Discord's REST client alone
 * is about 0.3 s of CPU at start-up, issue 18).
 */
class LazyDeliverer<T extends ReplyTarget> implements ReplyDeliverer<T> {
  private readonly load: () => Promise<ReplyDeliverer<T>>;
  private loaded: Promise<ReplyDeliverer<T>> | undefined;

  constructor(load: () => Promise<ReplyDeliverer<T>>) {
    this.load = load;
  }

  async deliver(target: T, result: JobResult): Promise<void> {
    return (await this.deliverer()).deliver(target, result);
  }

  async apologize(target: T, message: string): Promise<void> {
    return (await this.deliverer()).apologize(target, message);
  }

  private deliverer(): Promise<ReplyDeliverer<T>> {
    this.loaded ??= this.load();
    return this.loaded;
  }
}

/** Jobs run in this process with bounded concurrency: the embedded default, and the fallback. */
export function createInProcessQueue(deps: {
  cards: CardService;
  deliverers: Deliverers;
  concurrency: number;
  logger: Logger;
}): InProcessJobQueue {
  return new InProcessJobQueue({
    handler: (job) => runJob(deps.cards, deps.deliverers, job),
    concurrency: deps.concurrency,
    onError: (error, job) =>
      deps.logger.error(
        { ...describeJob(job), err: error instanceof Error ? error.message : String(error) },
        "in-process job failed",
      ),
  });
}

/**
 * The JobQueue the chat adapters submit to: BullMQ on Redis when it is configured (falling back to
 * in-process when Redis cannot take a job), else in-process only. `bullmq` is the Redis side, for
 * its counts.
 */
export async function buildJobQueue(
  config: Pick<Config, "redis" | "queue">,
  deps: { cards: CardService; deliverers: Deliverers; logger: Logger },
): Promise<{ queue: JobQueue; bullmq: BullmqJobQueue | undefined }> {
  const { queue: settings, redis } = config;
  const { logger } = deps;
  const inProcess = createInProcessQueue({ ...deps, concurrency: settings.concurrency });
  if (!redis) return { queue: inProcess, bullmq: undefined };
  // BullMQ and Redis's client only when Redis is configured: a start without them skips their
  // modules.
  const [{ BullmqJobQueue }, { createProducerConnection, createWorkerConnection }] =
    await Promise.all([
      import("../queue/bullmq-job-queue.ts"),
      import("../queue/redis-connections.ts"),
    ]);
  const bullmq = new BullmqJobQueue({
    redis: createProducerConnection(redis.url),
    queueName: settings.name,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    enqueueTimeoutMs: settings.enqueueTimeoutMs,
    logger,
    rescue: {
      eventsConnection: createWorkerConnection(redis.url, "moviebot-events"),
      afterMs: settings.rescueAfterMs,
    },
  });
  bullmq.rescueWith((jobs) => {
    for (const job of jobs) {
      logger.warn(describeJob(job), "Redis lost a queued job; running it in-process");
      void inProcess.submit(job);
    }
  });
  return { queue: new FallbackJobQueue({ primary: bullmq, fallback: inProcess, logger }), bullmq };
}
