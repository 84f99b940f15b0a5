import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MOVIELENS_DIR } from "../support/data.ts";

/**
 * `npm start` as a newcomer meets it: the process itself (bot/main.ts on the project's Node 24),
 * its output read line by line. Logs are JSON here because stdout is not a terminal.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const NODE = resolve(ROOT, "node_modules/.bin/node");
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

interface Run {
  code: number | null;
  lines: { level: number; msg: string }[];
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>, cwd = ROOT, until?: (line: string) => boolean) {
  const child = spawn(NODE, [join(ROOT, "bot/main.ts")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  return new Promise<Run>((done) => {
    const finish = (code: number | null) => {
      const lines = stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      done({ code, lines, stdout, stderr });
    };
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (until?.(stdout)) {
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("exit", (code) => finish(code));
  });
}

async function busyPort(): Promise<{ port: number; close(): void }> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

describe("a friendly start", () => {
  it("says in one line where it is ready and what is on", async () => {
    const run = await start(
      {
        PORT: "0",
        MOVIELENS_DIR,
        CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-start-")),
        DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-data-")),
      },
      ROOT,
      (out) => out.includes("moviebot ready on"),
    );
    const ready = run.lines.filter((l) => l.msg.startsWith("moviebot ready on"));
    expect(ready).toHaveLength(1);
    expect(ready[0]?.msg).toMatch(
      /^moviebot ready on http:\/\/localhost:\d+ \(API, web, queue \(in process\)\)$/,
    );
    expect(run.stderr).toBe("");
  });

  it("a busy port: one line naming PORT, exit 1, no stack", async () => {
    const busy = await busyPort();
    try {
      const run = await start({ PORT: String(busy.port), HOST: "127.0.0.1", MOVIELENS_DIR });
      expect(run.code).toBe(1);
      expect(run.lines).toHaveLength(1);
      expect(run.lines[0]?.msg).toContain(`Port ${busy.port} is already in use`);
      expect(run.lines[0]?.msg).toContain("PORT");
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).toBe("");
    } finally {
      busy.close();
    }
  });

  it("a failed MovieLens download: one line naming MOVIELENS_DIR and MOVIELENS_URL, no empty data/ left", async () => {
    const closed = await busyPort();
    closed.close();
    const cwd = mkdtempSync(join(tmpdir(), "moviebot-fresh-"));
    const run = await start(
      {
        PORT: "0",
        MOVIELENS_URL: `http://127.0.0.1:${closed.port}/ml-latest-small.zip`,
        CACHE_DIR: join(cwd, ".cache"),
      },
      cwd,
    );
    expect(run.code).toBe(1);
    const fatal = run.lines.filter((l) => l.level >= 50);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.msg).toContain("MOVIELENS_DIR");
    expect(fatal[0]?.msg).toContain("MOVIELENS_URL");
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    const data = join(cwd, "data");
    // Whatever else lives in data/ (the member database), no empty folder and no half download.
    if (existsSync(data)) {
      const entries = readdirSync(data);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.filter((e) => e.includes("ml-latest-small"))).toEqual([]);
    }
  });
});
