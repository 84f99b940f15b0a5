import pino from "pino";
import { HttpServer } from "../../../../bot/http/server.ts";
import { createSlackApp, SLACK_EVENTS_PATH } from "../../../../bot/slack/slack-app.ts";
import { SlackDeliverer } from "../../../../bot/slack/slack-jobs.ts";
import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../../../core/cards/shared-cards-store.ts";
import { InProcessJobQueue } from "../../../../core/jobs/in-process-job-queue.ts";
import type { Job, JobQueue } from "../../../../core/jobs/job.ts";
import { runJob } from "../../../../core/jobs/run-job.ts";
import type { TasteStore } from "../../../../core/members/taste-store.ts";
import type { Recommender } from "../../../../core/recommend/recommender.ts";
import type { MovieSearch } from "../../../../core/search/movie-search.ts";
import type { WatchSource } from "../../../../core/watch/watch-source.ts";
import { FakeRecommender, FakeSearch, fakeCards } from "../../../support/fakes.ts";
import { FakeSlack } from "./fake-slack.ts";
import { SIGNING_SECRET } from "./signed-requests.ts";

export interface HarnessOptions {
  search?: MovieSearch;
  recommender?: Recommender;
  optionsBudgetMs?: number;
  /** Replace the in-process queue (e.g. one that refuses jobs). */
  jobs?: JobQueue;
  /** Member database and where-to-watch source, for region and services. */
  taste?: TasteStore;
  watch?: WatchSource;
  /** Where private results' cards wait for Share (a Redis one in the share tests); memory if unset. */
  shared?: SharedCardsStore;
}

/**
 * The real Bolt app behind the real HttpServer on an ephemeral port, with jobs run in-process by
 * runJob + SlackDeliverer, and a FakeSlack for the Web API and every response_url.
 */
export async function startHarness(options: HarnessOptions = {}) {
  const logger = pino({ level: "silent" });
  const slack = await new FakeSlack().start();
  const search = options.search ?? new FakeSearch();
  const recommender = new FakeRecommender();
  const cards = fakeCards({
    search,
    recommender: options.recommender ?? recommender,
    watch: options.watch,
    taste: options.taste,
  });
  const shared = options.shared ?? new MemorySharedCardsStore({ ttlMs: 60_000 });
  const deliverer = new SlackDeliverer({
    allowedOrigins: [slack.url],
    sharing: { store: shared, logger },
  });
  const submitted: Job[] = [];
  const queue = new InProcessJobQueue({
    handler: (job) => runJob(cards, { slack: deliverer }, job),
  });
  const jobs: JobQueue = options.jobs ?? {
    submit: (job) => {
      submitted.push(job);
      return queue.submit(job);
    },
    close: () => queue.close(),
  };
  const app = createSlackApp({
    signingSecret: SIGNING_SECRET,
    botToken: "xoxb-test-token",
    apiUrl: `${slack.url}/api/`,
    cards,
    search,
    jobs,
    shared,
    taste: options.taste,
    logger,
    optionsBudgetMs: options.optionsBudgetMs ?? 300,
    resultLimit: 5,
    responseUrlOrigins: [slack.url],
  });
  await app.start();
  const server = new HttpServer(logger);
  if (!app.router) throw new Error("HTTP mode expected");
  server.ready(app.router);
  const port = await server.listen(0, "127.0.0.1");
  return {
    slack,
    app,
    submitted,
    recommender,
    url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
    async close() {
      await jobs.close();
      await app.stop();
      await server.close();
      await slack.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
