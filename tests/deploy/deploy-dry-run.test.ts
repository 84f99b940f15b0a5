import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  commandsStartingWith,
  type DeployRun,
  flagsOf,
  keyValues,
  printedEnvVars,
  runDeploy,
  scratchDir,
} from "./support/deploy-script.ts";

/** Distinctive values: if any shows up in the output, a secret leaked. */
const SECRETS = {
  SLACK_SIGNING_SECRET: "slack-signing-0f9e8d7c",
  SLACK_BOT_TOKEN: "xoxb-1111-2222-secret",
  DISCORD_PUBLIC_KEY: "discord-public-key-3c4d",
  DISCORD_BOT_TOKEN: "discord.bot.token-5e6f",
  TMDB_READ_ACCESS_TOKEN: "tmdb-token with spaces # and a hash",
  ELASTICSEARCH_API_KEY: "es-api-key-7a8b==",
  METRICS_TOKEN: "metrics-token-9c0d",
  DATABASE_URL: "postgres://bot:pa55word@10.0.0.5:5432/moviebot",
};

const ENV_FILE = `# a developer's .env
PORT=3000
LOG_LEVEL=debug
MOVIELENS_DIR=/home/someone/ml-latest-small
REDIS_URL=redis://127.0.0.1:6379
SEARCH_BACKEND=elasticsearch   # trailing comment
RECOMMENDER_BACKEND=bigquery
BIGQUERY_DATASET=movies
BIGQUERY_LOCATION=EU
SLACK_SIGNING_SECRET=${SECRETS.SLACK_SIGNING_SECRET}
export SLACK_BOT_TOKEN="${SECRETS.SLACK_BOT_TOKEN}"
DISCORD_PUBLIC_KEY='${SECRETS.DISCORD_PUBLIC_KEY}'
DISCORD_BOT_TOKEN=${SECRETS.DISCORD_BOT_TOKEN}
TMDB_READ_ACCESS_TOKEN="${SECRETS.TMDB_READ_ACCESS_TOKEN}"
ELASTICSEARCH_API_KEY=${SECRETS.ELASTICSEARCH_API_KEY}
METRICS_TOKEN=${SECRETS.METRICS_TOKEN}
DATABASE_URL=${SECRETS.DATABASE_URL}
SLACK_APP_TOKEN=
`;

const BASE_ARGS = [
  "--dry-run",
  "--project=unused", // overridden below: the last flag wins, as in any CLI
  "--project",
  "acme-movies",
  "--region",
  "europe-west1",
  "--tag",
  "v42",
  "--network",
  "corp-vpc",
  "--subnet",
  "run-subnet",
  "--redis-url",
  "redis://10.20.0.3:6379",
];

const dirs: string[] = [];
function dryRun(args: string[] = BASE_ARGS, envFile = ENV_FILE, env?: Record<string, string>) {
  const cwd = scratchDir(envFile);
  dirs.push(cwd);
  return runDeploy(args, { cwd, ...(env ? { env } : {}) });
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const SA = "moviebot-runtime@acme-movies.iam.gserviceaccount.com";

function single(run: DeployRun, ...prefix: string[]) {
  const found = commandsStartingWith(run, ...prefix);
  expect(found, prefix.join(" ")).toHaveLength(1);
  return found[0] as { argv: string[]; secretOnStdin: boolean };
}

function deployOf(run: DeployRun, service: string) {
  return flagsOf(single(run, "gcloud", "run", "deploy", service).argv);
}

describe("deploy.sh --dry-run", () => {
  const run = dryRun(["--project=unused", ...BASE_ARGS.filter((a) => a !== "--project=unused")]);

  it("succeeds without gcloud installed and says nothing runs", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/dry run: nothing below is executed/);
  });

  it("checks the gcloud login, then enables the APIs it uses", () => {
    const auth = single(run, "gcloud", "auth", "list");
    expect(flagsOf(auth.argv).get("filter")).toBe("status:ACTIVE");
    const enable = single(run, "gcloud", "services", "enable");
    expect(flagsOf(enable.argv).get("project")).toBe("acme-movies");
    // redis: Memorystore, which the queue needs.
    for (const api of [
      "run",
      "artifactregistry",
      "cloudbuild",
      "secretmanager",
      "bigquery",
      "redis",
    ]) {
      expect(enable.argv).toContain(`${api}.googleapis.com`);
    }
    expect(run.commands.indexOf(auth)).toBeLessThan(run.commands.indexOf(enable));
  });

  it("creates the Artifact Registry repository and builds the tagged image with Cloud Build", () => {
    const create = flagsOf(single(run, "gcloud", "artifacts", "repositories", "create").argv);
    expect(create.get("repository-format")).toBe("docker");
    expect(create.get("location")).toBe("europe-west1");
    const build = single(run, "gcloud", "builds", "submit");
    expect(flagsOf(build.argv).get("tag")).toMatch(/\/moviebot:v42$/);
    expect(flagsOf(build.argv).get("project")).toBe("acme-movies");
  });

  it("stores each SLACK_/DISCORD_/TMDB_/ELASTICSEARCH_ setting, METRICS_TOKEN and DATABASE_URL as a secret fed on stdin", () => {
    const creates = commandsStartingWith(run, "gcloud", "secrets", "create").map((c) => c.argv[3]);
    expect(creates.sort()).toEqual(
      [
        "moviebot-discord-bot-token",
        "moviebot-discord-public-key",
        "moviebot-elasticsearch-api-key",
        "moviebot-slack-bot-token",
        "moviebot-slack-signing-secret",
        "moviebot-tmdb-read-access-token",
        "moviebot-metrics-token",
        "moviebot-database-url",
        // Not in the env file: generated for the web page's cookies.
        "moviebot-session-secret",
      ].sort(),
    );
    const adds = commandsStartingWith(run, "gcloud", "secrets", "versions", "add");
    expect(adds).toHaveLength(9);
    for (const add of adds) {
      expect(add.secretOnStdin).toBe(true);
      expect(flagsOf(add.argv).get("data-file")).toBe("-");
    }
    const grants = commandsStartingWith(run, "gcloud", "secrets", "add-iam-policy-binding");
    expect(grants.map((g) => g.argv[3]).sort()).toEqual(creates.sort());
    for (const grant of grants) {
      expect(flagsOf(grant.argv).get("member")).toBe(`serviceAccount:${SA}`);
      expect(flagsOf(grant.argv).get("role")).toBe("roles/secretmanager.secretAccessor");
    }
  });

  it("never prints a secret value, only <redacted>", () => {
    for (const value of Object.values(SECRETS)) {
      expect(run.stdout).not.toContain(value);
      expect(run.stderr).not.toContain(value);
    }
    expect(run.stdout).toContain("<redacted>");
  });

  it("gives the service account only BigQuery jobUser on the project and dataViewer on the dataset", () => {
    expect(
      flagsOf(single(run, "gcloud", "iam", "service-accounts", "create").argv).get("project"),
    ).toBe("acme-movies");
    const projectRoles = commandsStartingWith(run, "gcloud", "projects", "add-iam-policy-binding");
    expect(projectRoles.map((c) => flagsOf(c.argv).get("role"))).toEqual([
      "roles/bigquery.jobUser",
    ]);
    expect(flagsOf(projectRoles[0]?.argv ?? []).get("member")).toBe(`serviceAccount:${SA}`);
    const grant = single(run, "bq", "query");
    expect(flagsOf(grant.argv).get("location")).toBe("EU");
    expect(grant.argv.at(-1)).toBe(
      `GRANT \`roles/bigquery.dataViewer\` ON SCHEMA \`acme-movies.movies\` TO "serviceAccount:${SA}"`,
    );
  });

  it("deploys the bot: concurrency 80, request-based billing, public, Direct VPC egress, /healthz probe", () => {
    const bot = deployOf(run, "moviebot");
    expect(bot.get("concurrency")).toBe("80");
    expect(bot.get("cpu-throttling")).toBe("true");
    expect(bot.has("no-cpu-throttling")).toBe(false);
    expect(bot.get("min-instances")).toBe("0");
    expect(bot.get("allow-unauthenticated")).toBe("true");
    expect(bot.get("service-account")).toBe(SA);
    expect(bot.get("network")).toBe("corp-vpc");
    expect(bot.get("subnet")).toBe("run-subnet");
    expect(bot.get("vpc-egress")).toBe("private-ranges-only");
    expect(bot.get("region")).toBe("europe-west1");
    expect(bot.get("image")).toMatch(/\/moviebot:v42$/);
    expect(keyValues(bot.get("startup-probe") ?? "").get("httpGet.path")).toBe("/healthz");
    expect(bot.has("command")).toBe(false);
  });

  it("deploys the worker: instance-based billing, min 1 instance, worker entry point, internal only", () => {
    const worker = deployOf(run, "moviebot-worker");
    expect(worker.get("no-cpu-throttling")).toBe("true");
    expect(worker.has("cpu-throttling")).toBe(false);
    expect(worker.get("min-instances")).toBe("1");
    expect(worker.get("concurrency")).toBe("80");
    expect(worker.get("command")).toBe("node");
    expect(worker.get("args")).toBe("dist/bot/worker.js");
    expect(worker.get("ingress")).toBe("internal");
    expect(worker.get("no-allow-unauthenticated")).toBe("true");
    expect(worker.get("service-account")).toBe(SA);
    expect(worker.get("network")).toBe("corp-vpc");
    expect(worker.get("vpc-egress")).toBe("private-ranges-only");
    expect(worker.get("image")).toBe(deployOf(run, "moviebot").get("image"));
  });

  it("mounts every secret into both services, and passes the other settings as plain env vars", () => {
    for (const service of ["moviebot", "moviebot-worker"]) {
      const secrets = keyValues(deployOf(run, service).get("set-secrets") ?? "");
      expect([...secrets.keys()].sort()).toEqual(
        [...Object.keys(SECRETS), "SESSION_SECRET"].sort(),
      );
      expect(secrets.get("SLACK_SIGNING_SECRET")).toBe("moviebot-slack-signing-secret:latest");
    }
    const bot = printedEnvVars(run, "bot");
    const worker = printedEnvVars(run, "worker");
    expect(bot.get("RUN_WORKER")).toBe("false");
    expect(worker.get("RUN_WORKER")).toBe("true");
    for (const vars of [bot, worker]) {
      // The Memorystore address from --redis-url, not the developer's local Redis.
      expect(vars.get("REDIS_URL")).toBe("redis://10.20.0.3:6379");
      expect(vars.get("SEARCH_BACKEND")).toBe("elasticsearch");
      expect(vars.get("LOG_LEVEL")).toBe("debug");
      expect(vars.get("BIGQUERY_PROJECT")).toBe("acme-movies");
      expect(vars.get("BIGQUERY_DATASET")).toBe("movies");
      // Cloud Run sets PORT; a local path means nothing in the container; secrets stay secrets.
      for (const absent of ["PORT", "MOVIELENS_DIR", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]) {
        expect(vars.has(absent), absent).toBe(false);
      }
    }
  });

  it("prints the Slack and Discord endpoint URLs to paste into the apps", () => {
    expect(run.stdout).toMatch(/Slack .*https:\/\/<bot url>\/slack\/events$/m);
    expect(run.stdout).toMatch(/Discord .*https:\/\/<bot url>\/discord\/interactions$/m);
  });
});

describe("deploy.sh options", () => {
  it("takes project, region and service names from the environment", () => {
    const run = dryRun(["--dry-run"], ENV_FILE, {
      PROJECT_ID: "env-project",
      REGION: "asia-northeast1",
      BOT_SERVICE: "films",
      WORKER_SERVICE: "films-worker",
      REDIS_URL: "redis://10.9.9.9:6379",
    });
    expect(run.status).toBe(0);
    const bot = deployOf(run, "films");
    expect(bot.get("project")).toBe("env-project");
    expect(bot.get("region")).toBe("asia-northeast1");
    expect(deployOf(run, "films-worker").get("service-account")).toBe(
      "moviebot-runtime@env-project.iam.gserviceaccount.com",
    );
    expect(printedEnvVars(run, "worker").get("REDIS_URL")).toBe("redis://10.9.9.9:6379");
  });

  it("--skip-build --image deploys an existing image without building", () => {
    const image = "example.test/acme/moviebot:prebuilt";
    const run = dryRun([...BASE_ARGS, "--skip-build", "--image", image]);
    expect(run.status).toBe(0);
    expect(commandsStartingWith(run, "gcloud", "builds", "submit")).toHaveLength(0);
    expect(deployOf(run, "moviebot").get("image")).toBe(image);
    expect(deployOf(run, "moviebot-worker").get("image")).toBe(image);
  });

  it("grants no BigQuery role when no dataset is configured", () => {
    const run = dryRun(BASE_ARGS, ENV_FILE.replace(/^BIGQUERY_DATASET=.*$/m, ""));
    expect(run.status).toBe(0);
    expect(commandsStartingWith(run, "gcloud", "projects", "add-iam-policy-binding")).toHaveLength(
      0,
    );
    expect(commandsStartingWith(run, "bq")).toHaveLength(0);
  });

  it("refuses to run without a project, or with a Redis on this machine", () => {
    const noProject = dryRun(["--dry-run", "--redis-url", "redis://10.0.0.1:6379"]);
    expect(noProject.status).not.toBe(0);
    expect(noProject.stderr).toMatch(/no project/);
    expect(noProject.commands).toHaveLength(0);

    const localRedis = dryRun(["--dry-run", "--project", "p"]); // REDIS_URL from .env: 127.0.0.1
    expect(localRedis.status).not.toBe(0);
    expect(localRedis.stderr).toMatch(/Memorystore/);
  });

  it("requires the member database to be PostgreSQL: SQLite is for one machine", () => {
    const none = dryRun(BASE_ARGS, ENV_FILE.replace(/^DATABASE_URL=.*$/m, ""));
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/DATABASE_URL must be postgres/);
    const sqlite = dryRun(
      BASE_ARGS,
      ENV_FILE.replace(/^DATABASE_URL=.*$/m, "DATABASE_URL=sqlite:data/m.db"),
    );
    expect(sqlite.status).not.toBe(0);
    expect(sqlite.commands).toHaveLength(0);
  });

  it("rejects unknown options and documents the known ones in --help", () => {
    const bad = dryRun(["--dry-run", "--projcet", "p"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown option: --projcet/);

    const help = dryRun(["--help"]);
    expect(help.status).toBe(0);
    for (const flag of [
      "--project",
      "--region",
      "--bot-service",
      "--worker-service",
      "--dry-run",
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });
});
