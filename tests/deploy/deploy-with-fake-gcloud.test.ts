import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDeploy, scratchDir } from "./support/deploy-script.ts";

/**
 * A stand-in for the Google Cloud CLI: records every call (argv, and stdin where a secret is
 * piped), answers the read-only questions deploy.sh asks, and keeps secrets in a directory so a
 * second deploy sees what the first stored.
 */
const FAKE_GCLOUD = `#!/usr/bin/env bash
set -euo pipefail
state=$FAKE_STATE
printf '%s\\n' "$*" >>"$state/calls.log"
case "$*" in
  "auth list"*) echo "deployer@example.com" ;;
  "artifacts repositories describe"*registryUri*) echo "registry.example.test/acme/moviebot" ;;
  "artifacts repositories describe"*) exit 1 ;;
  "iam service-accounts describe"*) exit 1 ;;
  "secrets describe "*) [[ -f "$state/secret-$3" ]] ;;
  "secrets versions access"*)
    id=\${5#--secret=}
    cat "$state/secret-$id" ;;
  "secrets versions add "*)
    cat >"$state/secret-$4"
    printf 'stdin=%s\\n' "$(cat "$state/secret-$4")" >>"$state/calls.log" ;;
  "run services describe"*) echo "https://moviebot-abc123-ew.a.run.app" ;;
esac
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(envFile: string) {
  // Cloud Run's member database is PostgreSQL (deploy.sh refuses SQLite).
  const cwd = scratchDir(`DATABASE_URL=postgres://moviebot@10.0.0.9/moviebot\n${envFile}`);
  dirs.push(cwd);
  const bin = join(cwd, "bin");
  const state = join(cwd, "state");
  mkdirSync(bin);
  mkdirSync(state);
  for (const tool of ["gcloud", "bq"]) {
    writeFileSync(join(bin, tool), FAKE_GCLOUD);
    chmodSync(join(bin, tool), 0o755);
  }
  const deploy = () =>
    runDeploy(["--project", "acme", "--tag", "t1", "--redis-url", "redis://10.0.0.5:6379"], {
      cwd,
      path: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      env: { FAKE_STATE: state },
    });
  const calls = () => readFileSync(join(state, "calls.log"), "utf8").split("\n");
  return { deploy, calls };
}

const TOKEN = 'xoxb-token "quoted" $HOME `not run`';

describe("deploy.sh against a stand-in gcloud", () => {
  it("pipes each secret on stdin, never in argv, and prints the real endpoint URLs", () => {
    const { deploy, calls } = setup(`DATABASE_URL=postgres://moviebot@10.0.0.9/moviebot
SLACK_BOT_TOKEN='${TOKEN}'\nLOG_LEVEL=info\n`);
    const run = deploy();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const log = calls();
    expect(log).toContain(`stdin=${TOKEN}`);
    const argvLines = log.filter((line) => !line.startsWith("stdin="));
    expect(argvLines.some((line) => line.includes("xoxb-token"))).toBe(false);
    expect(run.stdout).not.toContain("xoxb-token");
    // The image goes where Artifact Registry says the repository lives.
    expect(log).toContainEqual(
      expect.stringMatching(
        /^builds submit .* --tag=registry\.example\.test\/acme\/moviebot\/moviebot:t1$/,
      ),
    );
    expect(run.stdout).toContain("https://moviebot-abc123-ew.a.run.app/slack/events");
    expect(run.stdout).toContain("https://moviebot-abc123-ew.a.run.app/discord/interactions");
  });

  it("adds a secret version only when the value changed", () => {
    const { deploy, calls } = setup("TMDB_READ_ACCESS_TOKEN=tmdb-1\n");
    expect(deploy().status).toBe(0);
    const second = deploy();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("moviebot-tmdb-read-access-token is up to date");
    const log = calls();
    const tmdb = (line: string) => line.includes("moviebot-tmdb-read-access-token");
    expect(log.filter((line) => line.startsWith("secrets create ") && tmdb(line))).toHaveLength(1);
    expect(
      log.filter((line) => line.startsWith("secrets versions add ") && tmdb(line)),
    ).toHaveLength(1);
    // Both deploys still mount the secret.
    const deploys = log.filter((line) => line.startsWith("run deploy moviebot "));
    expect(deploys).toHaveLength(2);
    for (const line of deploys) {
      expect(line).toContain("TMDB_READ_ACCESS_TOKEN=moviebot-tmdb-read-access-token:latest");
    }
  });

  it("generates SESSION_SECRET once when the env file has none, so instances share it", () => {
    const { deploy, calls } = setup("LOG_LEVEL=info\n");
    expect(deploy().status).toBe(0);
    expect(deploy().status).toBe(0);
    const log = calls();
    const session = (line: string) => line.includes("moviebot-session-secret");
    expect(log.filter((l) => l.startsWith("secrets create ") && session(l))).toHaveLength(1);
    expect(log.filter((l) => l.startsWith("secrets versions add ") && session(l))).toHaveLength(1);
    // The env file's other secret is the member database's URL (setup adds it).
    const stored = log.filter((line) => line.startsWith("stdin=") && !line.includes("postgres://"));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^stdin=[0-9a-f]{64}$/);
    const deploys = log.filter((line) => line.startsWith("run deploy moviebot "));
    expect(deploys).toHaveLength(2);
    for (const line of deploys) {
      expect(line).toContain("SESSION_SECRET=moviebot-session-secret:latest");
    }
  });

  it("stores an env file's SESSION_SECRET like the other secrets", () => {
    const value = "e".repeat(40);
    const { deploy, calls } = setup(`SESSION_SECRET=${value}\n`);
    const run = deploy();
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain(value);
    const log = calls();
    expect(log).toContain(`stdin=${value}`);
    expect(
      log.filter((line) => line.startsWith("stdin=") && !line.includes("postgres://")),
    ).toHaveLength(1);
  });

  it("stops before touching anything when gcloud has no active account", () => {
    const { deploy, calls } = setup("LOG_LEVEL=info\n");
    const fake = join(dirs.at(-1) as string, "bin", "gcloud");
    writeFileSync(fake, FAKE_GCLOUD.replace('echo "deployer@example.com"', "true"));
    const run = deploy();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/gcloud auth login/);
    expect(calls().filter(Boolean)).toEqual([
      "auth list --filter=status:ACTIVE --format=value(account)",
    ]);
  });
});
