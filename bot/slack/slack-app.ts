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
import type { SharedCardsStore } from "../../core/cards/shared-cards-store.ts";
import type { JobQueue } from "../../core/jobs/job.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../core/members/unavailable-taste-store.ts";
import { CHAT_RESULT_LIMIT } from "../../core/requests/recommend-request.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import { boltLogger } from "./bolt-logger.ts";
import { registerListeners } from "./listeners/index.ts";
import type { SlackMovieNight } from "./listeners/listener-deps.ts";
import { SLACK_EVENTS_PATH, slackEventsRoute } from "./slack-gate.ts";
import { SlackJobSubmitter } from "./slack-jobs.ts";

export { SLACK_EVENTS_PATH };

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
  /** Where private results' cards wait for "Share to channel" (the deliverer keeps them there). */
  shared: SharedCardsStore;
  /** The member database (DATABASE_URL's store); without one, clicks say they were not saved. */
  taste?: TasteStore;
  /** MEMBERS_REFRESH_MINUTES (default daily); null with BigQuery (learns at the next sync). */
  refreshMinutes?: number | null;
  logger: Logger;
  /** Options requests answer within this, whatever search does. Slack allows 3 s. */
  optionsBudgetMs?: number;
  /** Cards per reply. */
  resultLimit?: number;
  /** Origins a response_url may point at; Slack's hooks host when unset. */
  responseUrlOrigins?: readonly string[];
  /** /movienight (bot/builders/movienight-builder.ts); absent: the command says it is off. */
  movienight?: SlackMovieNight;
  /** First wait between auth.test attempts in startInBackground (doubling, up to a minute). */
  retryDelayMs?: number;
}

export interface SlackApp {
  /** HTTP mode only: serves POST /slack/events; mount it in the HttpServer's router. */
  router?: Router;
  /** Checks the bot token (auth.test) and, in Socket Mode, connects. Call before serving. */
  start(): Promise<void>;
  /**
   * start() retried with backoff while Slack cannot be reached, without holding up the rest of the
   * server; until it succeeds Slack requests get 503. Resolves true once started, false when Slack
   * rejected the token (Slack is then off, with one log line saying why) or stop() came first.
   */
  startInBackground(): Promise<boolean>;
  stop(): Promise<void>;
}

/** auth.test answers that no retry can fix: the token itself is wrong. */
const REJECTED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
]);

export const DEFAULT_RESPONSE_URL_ORIGINS = ["https://hooks.slack.com"];

/** Slack's retries of a request we already answered: ack and drop, so nobody gets two replies. */
const ignoreRetries: Middleware<AnyMiddlewareArgs> = async (args) => {
  const { context, next } = args;
  if (context.retryNum === undefined) return next();
  // Commands, actions and options carry ack(); events are acknowledged by Bolt itself.
  if ("ack" in args && typeof args.ack === "function") await args.ack();
};

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const logger = deps.logger.child({ component: "slack" });
  // auth.test is this client's only Web API call (replies go by response_url; movie nights post
  // with their own client, SlackNightPublisher); startInBackground does the
  // retrying, so the client's own (up to 30 minutes per call) is off.
  const clientOptions = {
    ...(deps.apiUrl ? { slackApiUrl: withSlash(deps.apiUrl) } : {}),
    retryConfig: { retries: 0 },
  };
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
  const listened = registerListeners(app, {
    cards: deps.cards,
    search: deps.search,
    submitter: new SlackJobSubmitter(deps.jobs, logger),
    sharing: { store: deps.shared, logger },
    taste: deps.taste ?? new UnavailableTasteStore("no member database"),
    refreshMinutes: deps.refreshMinutes === undefined ? 1440 : deps.refreshMinutes,
    logger,
    optionsBudgetMs: deps.optionsBudgetMs ?? 2500,
    resultLimit: deps.resultLimit ?? CHAT_RESULT_LIMIT,
    ...(deps.movienight ? { movienight: deps.movienight } : {}),
  });
  app.error(async (error) => {
    logger.error({ err: error }, "slack listener failed");
  });

  let state: "starting" | "ready" | "off" | "stopped" = "starting";
  let offReason = "";
  const router = httpReceiver
    ? slackEventsRoute({
        signingSecret: deps.signingSecret,
        responseUrlOrigins: deps.responseUrlOrigins ?? DEFAULT_RESPONSE_URL_ORIGINS,
        // Exactly what the listeners registered: one list, kept by the registrations themselves.
        ...listened,
        notReady: () =>
          state === "ready"
            ? null
            : state === "off"
              ? { code: "slack_off", message: `Slack is off: ${offReason}` }
              : { code: "slack_starting", message: "Slack is starting; try again shortly." },
        bolt: httpReceiver.router,
      })
    : undefined;

  const start = async () => {
    await app.init();
    if (deps.appToken) await app.start();
    state = "ready";
    logger.info({ mode: deps.appToken ? "socket" : "http" }, "slack app ready");
  };

  return {
    ...(router ? { router } : {}),
    start,
    async startInBackground() {
      let delay = deps.retryDelayMs ?? 1000;
      for (let attempt = 1; ; attempt++) {
        try {
          await start();
          return true;
        } catch (error) {
          if ((state as string) === "stopped") return false;
          const code = (error as { data?: { error?: unknown } }).data?.error;
          if (typeof code === "string" && REJECTED_TOKEN.has(code)) {
            state = "off";
            offReason = `Slack rejected the token (${code})`;
            logger.error(
              `Slack off: Slack rejected ${deps.appToken ? "SLACK_APP_TOKEN or " : ""}SLACK_BOT_TOKEN (${code}); check the token and restart`,
            );
            return false;
          }
          logger.warn(
            { attempt, retryInMs: delay, reason: (error as Error).message },
            "Slack unreachable at start-up; retrying",
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        if ((state as string) === "stopped") return false;
        delay = Math.min(delay * 2, 60_000);
      }
    },
    async stop() {
      const wasReady = state === "ready";
      state = "stopped";
      if (deps.appToken && wasReady) await app.stop();
    },
  };
}

/** WebClient joins method names onto the base URL, so it must end with a slash. */
function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
