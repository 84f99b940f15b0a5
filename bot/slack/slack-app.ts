import {
  type AnyMiddlewareArgs,
  App,
  ExpressReceiver,
  type Middleware,
  SocketModeReceiver,
} from "@slack/bolt";
import express, { type Router } from "express";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { JobQueue } from "../../core/jobs/job.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../core/members/unavailable-taste-store.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import { boltLogger } from "./bolt-logger.ts";
import { registerListeners } from "./listeners/index.ts";
import { DEFAULT_RESULT_LIMIT } from "./slack-ids.ts";
import { SlackJobSubmitter } from "./slack-jobs.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackAppDeps {
  signingSecret: string;
  botToken: string;
  /** Set: Socket Mode (no public URL needed); unset: HTTP at POST /slack/events. */
  appToken?: string;
  /** Base of the Web API, e.g. a local stand-in in tests; Slack's own when unset. */
  apiUrl?: string;
  cards: CardService;
  search: MovieSearch;
  jobs: JobQueue;
  /** The member database (DATABASE_URL's store); without one, clicks say they were not saved. */
  taste?: TasteStore;
  /** MEMBERS_REFRESH_MINUTES (default daily). */
  refreshMinutes?: number;
  logger: Logger;
  /** Options requests answer within this, whatever search does. Slack allows 3 s. */
  optionsBudgetMs?: number;
  /** Cards per reply. */
  resultLimit?: number;
}

export interface SlackApp {
  /** HTTP mode only: serves POST /slack/events; mount it in the HttpServer's router. */
  router?: Router;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. Call before serving. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Slack's retries of a request we already answered: ack and drop, so nobody gets two replies. */
const ignoreRetries: Middleware<AnyMiddlewareArgs> = async (args) => {
  const { context, next } = args;
  if (context.retryNum === undefined) return next();
  // Commands, actions and options carry ack(); events are acknowledged by Bolt itself.
  if ("ack" in args && typeof args.ack === "function") await args.ack();
};

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const logger = deps.logger.child({ component: "slack" });
  const clientOptions = deps.apiUrl ? { slackApiUrl: withSlash(deps.apiUrl) } : {};
  const httpReceiver = deps.appToken
    ? undefined
    : new ExpressReceiver({
        signingSecret: deps.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        router: express.Router(),
        logger: boltLogger(logger),
      });
  const receiver = deps.appToken
    ? new SocketModeReceiver({
        appToken: deps.appToken,
        logger: boltLogger(logger),
        installerOptions: { clientOptions },
      })
    : httpReceiver;
  const app = new App({
    token: deps.botToken,
    receiver,
    clientOptions,
    logger: boltLogger(logger),
    // No conversation state is kept between requests; Bolt's default store would only grow.
    convoStore: false,
    // auth.test runs in start(), where a bad token fails loudly, instead of as a stray rejection.
    deferInitialization: true,
  });
  app.use(ignoreRetries);
  registerListeners(app, {
    cards: deps.cards,
    search: deps.search,
    submitter: new SlackJobSubmitter(deps.jobs, logger),
    taste: deps.taste ?? new UnavailableTasteStore("no member database"),
    refreshMinutes: deps.refreshMinutes ?? 1440,
    logger,
    optionsBudgetMs: deps.optionsBudgetMs ?? 2500,
    resultLimit: deps.resultLimit ?? DEFAULT_RESULT_LIMIT,
  });
  app.error(async (error) => {
    logger.error({ err: error }, "slack listener failed");
  });

  let started = false;
  const router = httpReceiver ? express.Router() : undefined;
  if (router && httpReceiver) {
    // Bolt cannot authorise before auth.test has run; until start() finishes, Slack gets a 503.
    router.use(SLACK_EVENTS_PATH, (_req, res, next) => {
      if (started) next();
      else res.status(503).json({ error: "Slack is starting." });
    });
    router.use(httpReceiver.router);
  }

  return {
    ...(router ? { router } : {}),
    async start() {
      await app.init();
      if (deps.appToken) await app.start();
      started = true;
      logger.info({ mode: deps.appToken ? "socket" : "http" }, "slack app ready");
    },
    async stop() {
      started = false;
      if (deps.appToken) await app.stop();
    },
  };
}

/** WebClient joins method names onto the base URL, so it must end with a slash. */
function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
