import { accessSync, constants, existsSync } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { describe, it } from "vitest";
import { COURSE_DIR, ML25M_MOVIES, REAL_MOVIELENS } from "./data.ts";

/**
 * What a test needs from outside Node, and whether this machine has it. `npm test` on a machine
 * with only Node and npm runs every test it can and skips the rest with the reason in the test's
 * name (and one line on stderr); `.ci/run` provides everything and fails if anything was skipped.
 *
 *   const redis = await requireRedis();
 *   describeWith(redis)("BullMQ delivery", () => { ... uses redis.url ... });
 *   describeWith(realMovieLens)("search over the real titles", () => { ... });
 */
export interface Requirement {
  available: boolean;
  /** Why it is missing and how to provide it; empty when available. */
  reason: string;
}

const SKIP_MARK = "[skipped:";

function need(available: boolean, reason: string): Requirement {
  return { available, reason: available ? "" : reason };
}

const warned = new Set<string>();
function unmet(requirements: Requirement[]): Requirement[] {
  const missing = requirements.filter((r) => !r.available);
  for (const { reason } of missing) {
    if (warned.has(reason)) continue;
    warned.add(reason);
    process.stderr.write(`skipping: ${reason}\n`);
  }
  return missing;
}

function title(name: string, missing: Requirement[]): string {
  return missing.length === 0
    ? name
    : `${name} ${SKIP_MARK} ${missing.map((r) => r.reason).join("; ")}]`;
}

/** `describe` when every requirement is met, else `describe.skip` with the reasons in its title. */
export function describeWith(...requirements: Requirement[]) {
  const missing = unmet(requirements);
  return (name: string, body: () => void | Promise<void>) =>
    missing.length === 0 ? describe(name, body) : describe.skip(title(name, missing), body);
}

/** `it` when every requirement is met, else `it.skip` with the reasons in its title. */
export function itWith(...requirements: Requirement[]) {
  const missing = unmet(requirements);
  return (name: string, body: () => unknown, timeout?: number) =>
    missing.length === 0 ? it(name, body, timeout) : it.skip(title(name, missing), body, timeout);
}

// ---- Data -----------------------------------------------------------------------------------

/** " (now PATH)" when a path was configured or derived, "" when none was. */
const shown = (path: string) => (path.startsWith("/nonexistent") ? "" : ` (now ${path})`);

export const realMovieLens = need(
  REAL_MOVIELENS,
  "needs real MovieLens titles: set MOVIELENS_DIR to an ml-latest-small copy",
);
export const ml25mTitles = need(
  existsSync(ML25M_MOVIES),
  `needs the ml-25m movies.csv: set MOVIELENS_25M_MOVIES${shown(ML25M_MOVIES)}`,
);
export const courseLayout = need(
  existsSync(COURSE_DIR) && COURSE_DIR !== "/nonexistent",
  `needs the course's MovieLens layout: set MOVIELENS_COURSE_DIR${shown(COURSE_DIR)}`,
);

// ---- Programs -------------------------------------------------------------------------------

/** The first of `names` found on the PATH, or undefined. */
export function findCommand(...names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of names) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export function requireCommand(...names: string[]): Requirement & { path?: string } {
  const path = findCommand(...names);
  return {
    ...need(path !== undefined, `needs ${names.join(" or ")} on the PATH`),
    ...(path ? { path } : {}),
  };
}

/** A Chromium for browser tests: CHROMIUM_PATH, else chromium / chromium-browser / google-chrome on the PATH. */
export function requireChromium(): Requirement & { path?: string } {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    return {
      ...need(existsSync(configured), `CHROMIUM_PATH=${configured} does not exist`),
      path: configured,
    };
  }
  const found = requireCommand(
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
  );
  return found.available
    ? found
    : { ...found, reason: "needs Chromium (apt-get install chromium, or CHROMIUM_PATH)" };
}

// ---- Services -------------------------------------------------------------------------------

/** Where the tests find Redis: REDIS_URL, else the default local port. */
export const TEST_REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
/** Where the tests find PostgreSQL: DATABASE_URL, else the local server with trust auth. */
export const TEST_DATABASE_URL =
  process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

/** Sends `probe` (if any) and resolves true when the first answer starts with `expect`. */
function answers(
  url: string,
  fallbackPort: number,
  probe: string,
  expect: string,
): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || "127.0.0.1", port: Number(port) || fallbackPort });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => {
      if (!probe) return done(true);
      socket.write(probe);
    });
    socket.once("data", (data) => done(data.toString("latin1").startsWith(expect)));
  });
}

export async function requireRedis(url = TEST_REDIS_URL): Promise<Requirement & { url: string }> {
  const ok = await answers(url, 6379, "PING\r\n", "+PONG");
  return { ...need(ok, `needs Redis answering at ${url} (REDIS_URL)`), url };
}

export async function requirePostgres(
  url = TEST_DATABASE_URL,
): Promise<Requirement & { url: string }> {
  const ok = await answers(url, 5432, "", "");
  return { ...need(ok, `needs PostgreSQL answering at ${new URL(url).host} (DATABASE_URL)`), url };
}
