import { z } from "zod";
import { CHAT_RESULT_LIMIT } from "../core/requests/recommend-request.ts";

/**
 * Every setting, validated once at start-up (the t3-env pattern). The README's settings table and
 * .env.example list the same names. Nothing else reads process.env.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
const optionalUrl = z.preprocess(emptyAsUndefined, z.url().optional());
const bool = (fallback: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1" || v === "yes"),
  );
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const num = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().min(min).max(max).default(fallback));

// Dataset and model names are spliced into SQL as identifiers (they cannot be query parameters), so
// they are held to the strict identifier form here, once.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER_MESSAGE =
  "must be a plain identifier (letters, digits, underscore; not starting with a digit)";
const INDEX_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const optionalIdentifier = z.preprocess(
  emptyAsUndefined,
  z.string().regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
);

const configObject = z.object({
  PORT: int(3000, 0, 65535),
  // Bind address: 0.0.0.0 (every interface, what containers need); 127.0.0.1 keeps a laptop's bot private.
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("0.0.0.0")),
  // HTTP edges.
  // Requests per client (IP) per minute on the API and web routes; 0: no limit.
  RATE_LIMIT_PER_MINUTE: int(600, 0, 1_000_000),
  // Proxies in front whose X-Forwarded-For names the client (Cloud Run: 1); 0 trusts none.
  TRUST_PROXY_HOPS: int(0, 0, 10),
  // Set: GET /metrics wants `Authorization: Bearer <token>`.
  METRICS_TOKEN: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),

  // Data
  MOVIELENS_DIR: optionalString,
  MOVIELENS_URL: z.preprocess(
    emptyAsUndefined,
    z.url().default("https://files.grouplens.org/datasets/movielens/ml-latest-small.zip"),
  ),
  CACHE_DIR: z.preprocess(emptyAsUndefined, z.string().default(".cache")),
  // Everything the bot writes that must outlive a restart (the member database, generated secrets),
  // kept apart from MOVIELENS_DIR so a read-only copy of the data can be shared.
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("data")),
  // Start from CACHE_DIR/snapshot.bin (catalogue, rating index, search index as typed arrays) when
  // it matches the data; write it when missing or stale. Seconds instead of a minute at 25M ratings.
  SNAPSHOT: bool(true),

  // Web page.
  // Signs the web member cookie. Unset: generated once into DATA_DIR/session-secret, which only
  // works on one machine; instances behind one address must share it (deploy.sh keeps it in
  // Secret Manager).
  SESSION_SECRET: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(32, { error: "must be at least 32 characters (openssl rand -hex 32 makes one)" })
      .optional(),
  ),
  // A browser not seen for this many days starts over as a new web member.
  SESSION_IDLE_DAYS: int(90, 1, 3650),

  // Members: the taste store.
  // sqlite:<file> (one machine) or postgres://… (Cloud Run); unset: sqlite:<DATA_DIR>/moviebot.db.
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, "must be sqlite:<file> or postgres://…")
      .optional(),
  ),
  // How often members' likes are folded into the embedded recommender's data (also at start-up).
  MEMBERS_REFRESH_MINUTES: int(1440, 1, 100_000),
  // How long the cards of a private result stay shareable ("Share to channel"); kept in Redis with
  // REDIS_URL, else in memory. A private result stays on screen for hours, so a day by default.
  SHARE_TTL_MINUTES: int(1440, 1, 10_080),

  // Movie night (/movienight): how long joining stays open, how long the vote runs (Discord's
  // polls count in whole hours, so both platforms do), and the group's misery threshold (0..1 on
  // each member's own scale; see docs/movienight.md for why 0.25).
  MOVIENIGHT_JOIN_MINUTES: int(10, 1, 1440),
  MOVIENIGHT_VOTE_HOURS: int(1, 1, 168),
  MOVIENIGHT_MISERY: num(0.25, 0, 1),

  // Search: the guard around the search backend.
  // Time the search backend gets per keystroke before the embedded index answers instead; Slack and
  // Discord drop autocomplete answers after 3 s.
  SEARCH_BUDGET_MS: int(1000, 50, 2500),
  SEARCH_CACHE_SIZE: int(10_000, 1, 1_000_000),
  SEARCH_CACHE_TTL_MS: int(600_000, 1, 86_400_000),
  SEARCH_FAILURE_THRESHOLD: int(3, 1, 100),
  SEARCH_COOLDOWN_MS: int(30_000, 0, 600_000),

  // Recommender
  RECOMMENDER_STRATEGY: z.preprocess(
    emptyAsUndefined,
    z.enum(["default", "neighbours", "reference"]).default("default"),
  ),
  RECOMMENDER_K: int(30, 1, 1000),
  MF_FACTORS: int(32, 2, 512),
  MF_ALPHA: num(40, 0, 10_000),
  MF_LAMBDA: num(0.1, 0, 10_000),
  MF_ITERATIONS: int(10, 1, 200),
  // Recent recommendations kept in memory (0: none) and for how long.
  RECOMMEND_CACHE_SIZE: int(5000, 0, 1_000_000),
  RECOMMEND_CACHE_TTL_MS: int(600_000, 1, 86_400_000),
  // Worker threads computing the default strategy's recommendations off the event loop (0: on it),
  // so a burst of recommendations never holds up /healthz or autocomplete.
  RECOMMEND_THREADS: int(2, 0, 16),
  // Worker threads answering the embedded search (0: on the event loop), so a burst of keystrokes
  // never holds up /healthz.
  SEARCH_THREADS: int(1, 0, 1),

  // Users the default strategy draws on ("people who liked your picks"); see liked-neighbours.ts.
  RECOMMENDER_NEIGHBOURS: int(50, 1, 1000),

  // Posters
  TMDB_API_KEY: optionalString,
  TMDB_READ_ACCESS_TOKEN: optionalString,
  TMDB_API_URL: z.preprocess(emptyAsUndefined, z.url().default("https://api.themoviedb.org/3")),
  TMDB_IMAGE_BASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url().default("https://image.tmdb.org/t/p/w342"),
  ),
  TMDB_CONCURRENCY: int(8, 1, 64),
  // Where to watch: providers and trailers from TMDB.
  WATCH_REGION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "must be a two-letter country code, e.g. US or CH")
      .default("US"),
  ),
  WATCH_CACHE_TTL_SECONDS: int(86_400, 60, 30 * 86_400),
  WATCH_BUDGET_MS: int(2000, 100, 10_000),

  // Slack
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl,
  // Origins a response_url may point at (comma-separated); replies go nowhere else.
  SLACK_RESPONSE_URL_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("https://hooks.slack.com")
      .transform((text, ctx) => {
        const origins = text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        for (const origin of origins) {
          if (!URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, "")) {
            ctx.addIssue({
              code: "custom",
              message: `"${origin}" is not an origin such as https://hooks.slack.com`,
            });
            return z.NEVER;
          }
        }
        return origins.map((origin) => new URL(origin).origin);
      }),
  ),
  /** Time an options (block_suggestion) request may search; Slack gives up at 3 s. */
  SLACK_OPTIONS_BUDGET_MS: int(2500, 50, 2900),
  /** Cards per Slack reply (two blocks each; 50 blocks per message). */
  SLACK_RESULT_LIMIT: int(CHAT_RESULT_LIMIT, 1, 20),

  // Discord
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_PUBLIC_KEY: optionalString,
  DISCORD_BOT_TOKEN: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_MODE: z.preprocess(emptyAsUndefined, z.enum(["http", "gateway"]).default("http")),

  // Queue
  REDIS_URL: optionalUrl,
  RUN_WORKER: bool(true),
  QUEUE_NAME: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
      .default("moviebot-jobs"),
  ),
  QUEUE_CONCURRENCY: int(8, 1, 256),
  QUEUE_ATTEMPTS: int(5, 1, 50),
  QUEUE_BACKOFF_MS: int(1000, 10, 600_000),
  QUEUE_ENQUEUE_TIMEOUT_MS: int(500, 50, 10_000),
  QUEUE_RESCUE_AFTER_MS: int(3_000, 100, 600_000),
  QUEUE_LOCK_MS: int(30_000, 500, 600_000),
  QUEUE_STALLED_INTERVAL_MS: int(30_000, 200, 600_000),
  QUEUE_MAX_STALLED: int(2, 0, 100),
  QUEUE_DELIVERY_LEASE_MS: int(30_000, 500, 600_000),
  QUEUE_SHUTDOWN_MS: int(8_000, 0, 120_000),
  QUEUE_METRICS_LOG_MS: int(60_000, 0, 3_600_000),

  // Backends: which search and recommender serve the core
  RECOMMENDER_BACKEND: z.preprocess(
    emptyAsUndefined,
    z.enum(["local", "bigquery"]).default("local"),
  ),
  SEARCH_BACKEND: z.preprocess(
    emptyAsUndefined,
    z.enum(["local", "elasticsearch"]).default("local"),
  ),
  BIGQUERY_PROJECT: optionalString,
  BIGQUERY_DATASET: optionalIdentifier,
  BIGQUERY_LOCATION: z.preprocess(emptyAsUndefined, z.string().min(1).default("US")),
  BIGQUERY_MODEL: z.preprocess(
    emptyAsUndefined,
    z.string().regex(IDENTIFIER, IDENTIFIER_MESSAGE).default("movie_mf"),
  ),
  BIGQUERY_TIMEOUT_MS: int(5000, 100, 600_000),
  BIGQUERY_API_URL: optionalUrl,
  BIGQUERY_SERVE: z.preprocess(
    emptyAsUndefined,
    z.enum(["remote", "local-weights"]).default("remote"),
  ),
  BIGQUERY_WEIGHTS_REFRESH_MINUTES: int(360, 1, 100_000),
  ELASTICSEARCH_URL: optionalUrl,
  ELASTICSEARCH_CLOUD_ID: optionalString,
  ELASTICSEARCH_API_KEY: optionalString,
  ELASTICSEARCH_INDEX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(INDEX_NAME, "must be a lowercase Elasticsearch index or alias name")
      .default("movies"),
  ),
  ELASTICSEARCH_TIMEOUT_MS: int(800, 50, 60_000),
});

// Settings that only make sense together.
export const configSchema = configObject.superRefine((config, ctx) => {
  if (config.RECOMMENDER_BACKEND === "bigquery") {
    for (const key of ["BIGQUERY_PROJECT", "BIGQUERY_DATASET"] as const) {
      if (!config[key]) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${key} is required when RECOMMENDER_BACKEND=bigquery`,
        });
      }
    }
  }
  if (
    config.SEARCH_BACKEND === "elasticsearch" &&
    !config.ELASTICSEARCH_URL &&
    !config.ELASTICSEARCH_CLOUD_ID
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["ELASTICSEARCH_URL"],
      message:
        "ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID is required when SEARCH_BACKEND=elasticsearch",
    });
  }
});

/** The environment as validated: one field per variable. */
export type Settings = z.infer<typeof configSchema>;

/** Slack is on when both its signing secret and bot token are set. */
export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  /** Set: Socket Mode (no public URL needed); unset: HTTP at POST /slack/events. */
  appToken?: string;
  /** Base of the Web API (a local stand-in in tests); Slack's own when unset. */
  apiUrl?: string;
  /** Options requests answer within this, whatever search does. Slack allows 3 s. */
  optionsBudgetMs: number;
  /** Cards per reply. */
  resultLimit: number;
}

/** Discord is on with an application id and a bot token, and a public key for the HTTP endpoint. */
export type DiscordSettings = {
  applicationId: string;
  botToken: string;
  /** REST base for tests and proxies; Discord's own when unset. */
  apiUrl?: string;
  guildId?: string;
} & ({ mode: "http"; publicKey: string } | { mode: "gateway"; publicKey?: string });

/** The job queue: in-process without Redis, BullMQ with it; one object from here to the worker. */
export interface QueueSettings {
  name: string;
  concurrency: number;
  /** Total tries per job, first run included. */
  attempts: number;
  /** First retry delay; doubles per attempt unless the platform said how long. */
  backoffMs: number;
  /** An enqueue slower than this counts as "Redis is down" (the job then runs in-process). */
  enqueueTimeoutMs: number;
  rescueAfterMs: number;
  /** How long a job stays locked to a worker without renewal; a dead worker's jobs return after it. */
  lockMs: number;
  /** How often to look for jobs whose worker died. */
  stalledIntervalMs: number;
  /** Times a job may stall before it is dead-lettered. */
  maxStalled: number;
  /** Delivery lease: longer than one delivery can take. */
  deliveryLeaseMs: number;
  /** How long SIGTERM waits for in-flight jobs before handing them back. */
  shutdownMs: number;
  metricsLogMs: number;
}

/** Redis is on when REDIS_URL is set: BullMQ queue, shared poster cache, shared stores. */
export interface RedisSettings {
  url: string;
  /** Run a queue worker in the `npm start` process too (Cloud Run runs it as its own service). */
  runWorker: boolean;
}

/** Variables read only through a section below, so there is one way to reach each. */
type SectionVariables =
  | "SLACK_SIGNING_SECRET"
  | "SLACK_BOT_TOKEN"
  | "SLACK_APP_TOKEN"
  | "SLACK_API_URL"
  | "SLACK_OPTIONS_BUDGET_MS"
  | "SLACK_RESULT_LIMIT"
  | "DISCORD_APPLICATION_ID"
  | "DISCORD_PUBLIC_KEY"
  | "DISCORD_BOT_TOKEN"
  | "DISCORD_GUILD_ID"
  | "DISCORD_MODE"
  | "REDIS_URL"
  | "RUN_WORKER"
  | "QUEUE_NAME"
  | "QUEUE_CONCURRENCY"
  | "QUEUE_ATTEMPTS"
  | "QUEUE_BACKOFF_MS"
  | "QUEUE_ENQUEUE_TIMEOUT_MS"
  | "QUEUE_RESCUE_AFTER_MS"
  | "QUEUE_LOCK_MS"
  | "QUEUE_STALLED_INTERVAL_MS"
  | "QUEUE_MAX_STALLED"
  | "QUEUE_DELIVERY_LEASE_MS"
  | "QUEUE_SHUTDOWN_MS"
  | "QUEUE_METRICS_LOG_MS";

/**
 * What the composition roots read: the plain settings, plus one optional section per platform that
 * is present exactly when that platform is on, so nothing downstream re-checks or casts.
 */
export type Config = Omit<Settings, SectionVariables> & {
  slack?: SlackSettings;
  discord?: DiscordSettings;
  redis?: RedisSettings;
  queue: QueueSettings;
};

function slackSection(s: Settings): SlackSettings | undefined {
  if (!s.SLACK_SIGNING_SECRET || !s.SLACK_BOT_TOKEN) return undefined;
  return {
    signingSecret: s.SLACK_SIGNING_SECRET,
    botToken: s.SLACK_BOT_TOKEN,
    ...(s.SLACK_APP_TOKEN ? { appToken: s.SLACK_APP_TOKEN } : {}),
    ...(s.SLACK_API_URL ? { apiUrl: s.SLACK_API_URL } : {}),
    optionsBudgetMs: s.SLACK_OPTIONS_BUDGET_MS,
    resultLimit: s.SLACK_RESULT_LIMIT,
  };
}

function discordSection(s: Settings): DiscordSettings | undefined {
  if (!s.DISCORD_APPLICATION_ID || !s.DISCORD_BOT_TOKEN) return undefined;
  const common = {
    applicationId: s.DISCORD_APPLICATION_ID,
    botToken: s.DISCORD_BOT_TOKEN,
    ...(s.DISCORD_API_URL ? { apiUrl: s.DISCORD_API_URL } : {}),
    ...(s.DISCORD_GUILD_ID ? { guildId: s.DISCORD_GUILD_ID } : {}),
  };
  if (s.DISCORD_MODE === "gateway") {
    return {
      ...common,
      mode: "gateway",
      ...(s.DISCORD_PUBLIC_KEY ? { publicKey: s.DISCORD_PUBLIC_KEY } : {}),
    };
  }
  // The HTTP endpoint cannot check Discord's signature without the key: Discord stays off.
  return s.DISCORD_PUBLIC_KEY
    ? { ...common, mode: "http", publicKey: s.DISCORD_PUBLIC_KEY }
    : undefined;
}

/** Derives the sections once, at start-up. */
export function configFrom(settings: Settings): Config {
  const {
    SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_API_URL,
    SLACK_OPTIONS_BUDGET_MS,
    SLACK_RESULT_LIMIT,
    DISCORD_APPLICATION_ID,
    DISCORD_PUBLIC_KEY,
    DISCORD_BOT_TOKEN,
    DISCORD_GUILD_ID,
    DISCORD_MODE,
    REDIS_URL,
    RUN_WORKER,
    QUEUE_NAME,
    QUEUE_CONCURRENCY,
    QUEUE_ATTEMPTS,
    QUEUE_BACKOFF_MS,
    QUEUE_ENQUEUE_TIMEOUT_MS,
    QUEUE_RESCUE_AFTER_MS,
    QUEUE_LOCK_MS,
    QUEUE_STALLED_INTERVAL_MS,
    QUEUE_MAX_STALLED,
    QUEUE_DELIVERY_LEASE_MS,
    QUEUE_SHUTDOWN_MS,
    QUEUE_METRICS_LOG_MS,
    ...rest
  } = settings;
  const slack = slackSection(settings);
  const discord = discordSection(settings);
  return {
    ...rest,
    ...(slack ? { slack } : {}),
    ...(discord ? { discord } : {}),
    ...(REDIS_URL ? { redis: { url: REDIS_URL, runWorker: RUN_WORKER } } : {}),
    queue: {
      name: QUEUE_NAME,
      concurrency: QUEUE_CONCURRENCY,
      attempts: QUEUE_ATTEMPTS,
      backoffMs: QUEUE_BACKOFF_MS,
      enqueueTimeoutMs: QUEUE_ENQUEUE_TIMEOUT_MS,
      rescueAfterMs: QUEUE_RESCUE_AFTER_MS,
      lockMs: QUEUE_LOCK_MS,
      stalledIntervalMs: QUEUE_STALLED_INTERVAL_MS,
      maxStalled: QUEUE_MAX_STALLED,
      deliveryLeaseMs: QUEUE_DELIVERY_LEASE_MS,
      shutdownMs: QUEUE_SHUTDOWN_MS,
      metricsLogMs: QUEUE_METRICS_LOG_MS,
    },
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment into plain settings; throws a ConfigError naming every bad variable.
 * Admin scripts that need a variable regardless of what is on (discord:register) read these.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join(".")}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
}

/** The config the processes run on: settings plus a section per platform that is on. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return configFrom(loadSettings(env));
}
