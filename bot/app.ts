import express from "express";
import type { Logger } from "pino";
import { InProcessJobQueue } from "../core/jobs/in-process-job-queue.ts";
import { runJob } from "../core/jobs/run-job.ts";
import { createDeliverers, startChat } from "./chat.ts";
import { buildCore, type Core } from "./compose.ts";
import type { Config } from "./config.ts";
import { createApiRouter } from "./http/api-routes.ts";
import { HttpServer } from "./http/server.ts";

export interface RunningApp {
  port: number;
  /** Resolves once the core is built and every route is served (or rejects if start-up failed). */
  ready: Promise<Core>;
  close(): Promise<void>;
}

/**
 * `npm start`: the HTTP server listens at once (so /healthz can say 503 "starting" to Cloud Run's
 * probe), builds the core, then installs the API and chat routes.
 */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const server = new HttpServer(logger);
  const port = await server.listen(config.PORT);
  const closers: (() => Promise<void>)[] = [];

  const ready = (async () => {
    const core = await buildCore(config, logger);
    closers.push(() => core.close());
    const deliverers = createDeliverers(config);
    const jobs = new InProcessJobQueue({
      handler: (job) => runJob(core.cards, deliverers, job),
      onError: (error, job) => logger.error({ err: error, jobId: job.id }, "job failed"),
    });
    closers.push(() => jobs.close());
    const chat = await startChat(config, core, jobs, logger);
    closers.push(() => chat.stop());

    const router = express.Router();
    for (const chatRouter of chat.routers) router.use(chatRouter);
    router.use(createApiRouter(core.cards, logger));
    server.ready(router);
    logger.info({ port }, "ready");
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
