import compression from "compression";
import express from "express";
import type { Logger } from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import type { Deliverers } from "../core/jobs/run-job.ts";
import { buildCore, type Core } from "./builders/core-builder.ts";
import type { EarlyStart } from "./builders/early-search.ts";
import { buildMovieNights } from "./builders/movienight-builder.ts";
import { buildDeliverers, buildJobQueue } from "./builders/queue-builder.ts";
import { buildSharedCards } from "./builders/shared-cards-builder.ts";
import type { Config } from "./config.ts";
import { createApiRouter } from "./http/api-routes.ts";
import { registerCacheMetrics } from "./http/cache-metrics.ts";
import { createMetricsRouter } from "./http/metrics-routes.ts";
import { HttpServer } from "./http/server.ts";
import { QueueMetrics, startMetricsLog } from "./queue/queue-metrics.ts";
import { startIdleMembersSweep } from "./web/idle-members-sweep.ts";
import { loadSessionSecret } from "./web/session-secret.ts";
import { createWebRouter } from "./web/web-routes.ts";

/**
 * The JSON API's hot routes answer uncompressed. An answer is 1–5 KB, and compressing one (brotli
 * at quality 4, or gzip) took 45–73 µs in process, on the event loop, for every client that asks
 * (browsers and most HTTP libraries do): a third of what a keystroke costs there. And the
 * compression middleware's wrapping of each response kept the requests in flight alive through
 * the young collections for the first 5–10 s of a load (4–8 MB promoted per collection, 15–22 ms
 * pauses; none without it, issue 18).
 */
const UNCOMPRESSED = /^\/api\/(suggest|recommend|popular)$/;

export interface RunningApp {
  port: number;
  /** Resolves once the core is built and every route is served (or rejects if start-up failed). */
  ready: Promise<Pick<Core, "cards" | "search">>;
  close(): Promise<void>;
}

/** Tests replace the core (a tiny catalogue) or the deliverers (a recorder); production never does. */
export interface AppOverrides {
  core?: Pick<Core, "cards" | "search" | "close"> & Partial<Pick<Core, "members" | "afterReady">>;
  deliverers?: Deliverers;
}

/**
 * The composition root of `npm start`, top to bottom: the HTTP server listens at once (so /healthz
 * can say 503 "starting" to Cloud Run's probe), then the core, the job queue (BullMQ when Redis is
 * configured, with a worker here unless RUN_WORKER=false), Slack and Discord when their sections are
 * present, the web page, the API and /metrics.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  overrides: AppOverrides = {},
  /** The threads main.ts started before loading this module (early-search.ts). */
  early: EarlyStart = {},
): Promise<RunningApp> {
  const server = new HttpServer(logger, {
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  const port = await server.listen(config.PORT, config.HOST);
  // Closed in reverse: chat first, then the worker, the queue and the core.
  const closers: (() => Promise<void> | void)[] = [];

  const ready = (async () => {
    if (overrides.core) for (const thread of early.recommendThreads ?? []) void thread.terminate();
    const core = overrides.core ?? (await buildCore(config, logger, early));
    closers.push(() => core.close());
    const { cards, search } = core;
    const shared = await buildSharedCards(config);
    closers.push(() => shared.close());
    const deliverers =
      overrides.deliverers ?? buildDeliverers(config, { store: shared.store, logger });

    const { queue: jobs, bullmq } = await buildJobQueue(config, { cards, deliverers, logger });
    closers.push(() => jobs.close());
    const registry = new Registry();
    // process_resident_memory_bytes, event-loop lag, heap and friends beside the queue's figures.
    collectDefaultMetrics({ register: registry });
    // A test's stand-in core has no answer caches to count.
    registerCacheMetrics(registry, (core as Partial<Core>).cacheStats ?? {});
    const metrics = new QueueMetrics(
      registry,
      bullmq
        ? { jobCounts: () => bullmq.jobCounts(), deadLetters: () => bullmq.deadLetters.count() }
        : {},
    );
    if (bullmq) closers.push(startMetricsLog(metrics, logger, config.queue.metricsLogMs));
    const worker =
      config.redis?.runWorker && bullmq
        ? (await import("./queue/start-worker.ts")).startWorker({
            redisUrl: config.redis.url,
            queue: config.queue,
            cards,
            deliverers,
            logger,
            metrics,
          })
        : undefined;
    if (worker) closers.push(() => worker.close());
    logger.debug(
      { queue: bullmq ? "bullmq" : "in-process", worker: worker ? "in-process" : "none" },
      "job queue ready",
    );
    // What is on, for the ready line.
    const on = ["API", "web"];
    const nights = await buildMovieNights(config, core, logger, {
      runJobs: !config.redis || config.redis.runWorker,
    });
    if (nights) closers.push(() => nights.close());

    // What "forget me" says about others' recommendations: the embedded recommender folds likes in
    // every MEMBERS_REFRESH_MINUTES; BigQuery learns them only at the next bigquery:sync-members.
    const refreshMinutes =
      config.RECOMMENDER_BACKEND === "local" ? config.MEMBERS_REFRESH_MINUTES : null;
    const router = express.Router();
    // Each platform's modules load only when it is configured (Slack's Bolt and discord.js are
    // about half a second of CPU at start-up each on a shared core, issue 18).
    if (config.slack) {
      const { createSlackApp } = await import("./slack/slack-app.ts");
      const slack = createSlackApp({
        ...config.slack,
        responseUrlOrigins: config.SLACK_RESPONSE_URL_ORIGINS,
        cards,
        search,
        jobs,
        shared: shared.store,
        taste: core.members,
        refreshMinutes,
        ...(nights?.slack ? { movienight: nights.slack } : {}),
        logger,
      });
      // Slack being unreachable must not keep the API and Discord from serving: its routes answer
      // 503 until auth.test succeeds, retried in the background.
      void slack.startInBackground();
      closers.push(() => slack.stop());
      if (slack.router) router.use(slack.router);
      on.push(`Slack (${config.slack.appToken ? "socket" : "http"})`);
    } else logger.debug("Slack off: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN unset");

    const discord = config.discord;
    // The same interaction handling whichever way Discord reaches us (gateway or HTTP endpoint).
    const discordDeps = {
      cards,
      search,
      jobs,
      shared: shared.store,
      taste: core.members,
      refreshMinutes,
      ...(nights?.discord ? { movienight: nights.discord } : {}),
      logger,
    };
    if (discord?.mode === "gateway") {
      const { DiscordGateway } = await import("./discord/gateway-transport.ts");
      const gateway = new DiscordGateway({ ...discord, ...discordDeps });
      await gateway.start();
      closers.push(() => gateway.stop());
    } else if (discord) {
      const { createDiscordRouter } = await import("./discord/http-transport.ts");
      router.use(createDiscordRouter({ ...discord, ...discordDeps }));
    }
    if (discord) on.push(`Discord (${discord.mode})`);
    else
      logger.debug(
        "Discord off: DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY or DISCORD_BOT_TOKEN unset",
      );

    // The web page's files and its member JSON go out compressed (its first load is held under
    // 100 KB). The public JSON API does not (UNCOMPRESSED): see there.
    const compress = compression();
    router.use((req, res, next) =>
      UNCOMPRESSED.test(req.path) ? next() : compress(req, res, next),
    );
    router.use(
      createWebRouter({
        sessionSecret: await loadSessionSecret(config, logger),
        idleDays: config.SESSION_IDLE_DAYS,
        imageBaseUrl: config.TMDB_IMAGE_BASE_URL,
        // Web members are kept like Slack's and Discord's (platform "web").
        taste: core.members,
        cards,
        logger,
      }),
    );
    if (core.members) {
      const sweep = startIdleMembersSweep({
        store: core.members,
        idleDays: config.SESSION_IDLE_DAYS,
        logger,
      });
      closers.push(() => sweep.stop());
    }
    router.use(createApiRouter(cards, logger));
    router.use(createMetricsRouter(registry, config.METRICS_TOKEN));
    server.ready(router);
    core.afterReady?.();
    // The one line a newcomer needs: where it is and what is on.
    on.push(bullmq ? "queue (BullMQ)" : "queue (in process)");
    const host = ["0.0.0.0", "::"].includes(config.HOST) ? "localhost" : config.HOST;
    logger.info({ port, on }, `moviebot ready on http://${host}:${port} (${on.join(", ")})`);
    return core;
  })();

  return {
    port,
    ready,
    async close() {
      // Stop taking requests, then let in-flight replies finish (chat first, queue last).
      await server.close();
      for (const close of closers.reverse()) await close();
    },
  };
}
