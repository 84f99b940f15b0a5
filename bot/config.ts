import { z } from "zod";

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

export const configSchema = z.object({
  PORT: int(3000, 0, 65535),
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

  // Recommender
  RECOMMENDER_STRATEGY: z.preprocess(
    emptyAsUndefined,
    z.enum(["default", "reference"]).default("default"),
  ),
  RECOMMENDER_K: int(30, 1, 1000),
  MF_FACTORS: int(32, 2, 512),
  MF_ALPHA: num(40, 0, 10_000),
  MF_LAMBDA: num(0.1, 0, 10_000),
  MF_ITERATIONS: int(10, 1, 200),

  // Posters
  TMDB_API_KEY: optionalString,
  TMDB_READ_ACCESS_TOKEN: optionalString,
  TMDB_API_URL: z.preprocess(emptyAsUndefined, z.url().default("https://api.themoviedb.org/3")),
  TMDB_IMAGE_BASE_URL: z.preprocess(
    emptyAsUndefined,
    z.url().default("https://image.tmdb.org/t/p/w342"),
  ),
  TMDB_CONCURRENCY: int(8, 1, 64),

  // Slack (issue: Slack app)
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl,
  // --- Slack helper additions (branch slack) ---
  /** Time an options (block_suggestion) request may search; Slack gives up at 3 s. */
  SLACK_OPTIONS_BUDGET_MS: int(2500, 50, 2900),
  /** Cards per Slack reply (two blocks each; 50 blocks per message). */
  SLACK_RESULT_LIMIT: int(8, 1, 20),
  // --- end Slack helper additions ---

  // Discord (issue: Discord app)
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_PUBLIC_KEY: optionalString,
  DISCORD_BOT_TOKEN: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_MODE: z.preprocess(emptyAsUndefined, z.enum(["http", "gateway"]).default("http")),

  // Queue (issue: BullMQ)
  REDIS_URL: optionalUrl,
  RUN_WORKER: bool(true),

  // --- placeholders until merged (helper "deploy") ---
  // Names the backends helper defines; here only so .env.example, the README's settings table and
  // this schema can be checked against each other (tests/settings-docs.test.ts). The lead replaces
  // this block with the real definitions at merge.
  RECOMMENDER_BACKEND: optionalString,
  SEARCH_BACKEND: optionalString,
  BIGQUERY_PROJECT: optionalString,
  BIGQUERY_DATASET: optionalString,
  BIGQUERY_LOCATION: optionalString,
  BIGQUERY_MODEL: optionalString,
  BIGQUERY_TIMEOUT_MS: optionalString,
  BIGQUERY_API_URL: optionalString,
  BIGQUERY_SERVE: optionalString,
  BIGQUERY_WEIGHTS_REFRESH_MINUTES: optionalString,
  ELASTICSEARCH_URL: optionalString,
  ELASTICSEARCH_CLOUD_ID: optionalString,
  ELASTICSEARCH_API_KEY: optionalString,
  ELASTICSEARCH_INDEX: optionalString,
  ELASTICSEARCH_TIMEOUT_MS: optionalString,
  // --- end placeholders until merged ---
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join(".")}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
}
