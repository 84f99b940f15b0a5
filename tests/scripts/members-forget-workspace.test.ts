import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId } from "../../core/members/taste-store.ts";
import { MOVIELENS_DIR } from "../support/data.ts";

// The operator's way to honour a Discord server that removed the bot in HTTP mode (Discord
// tells such bots nothing): the script as `npm run members:forget-workspace` runs it.
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
let dir: string;
const removed = memberId("discord", "111", "7");
const kept = memberId("discord", "222", "7");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "moviebot-forget-ws-"));
  const store = await SqliteTasteStore.open(join(dir, "moviebot.db"));
  await store.addLikes(removed, [1, 2]);
  await store.addLikes(kept, [3]);
  await store.close();
});

async function script(args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["scripts/members-forget-workspace.ts", ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", MOVIELENS_DIR, DATA_DIR: dir } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function likes(member: typeof removed) {
  const store = await SqliteTasteStore.open(join(dir, "moviebot.db"));
  try {
    return (await store.entries(member)).length;
  } finally {
    await store.close();
  }
}

describe("members:forget-workspace", () => {
  it("--dry-run says what it would delete and deletes nothing", async () => {
    const { code, stdout } = await script(["discord", "111", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "would delete the discord workspace 111's members (1 of them have likes)",
    );
    expect(await likes(removed)).toBe(2);
  });

  it("deletes that server's members and no other's", async () => {
    const { code, stdout } = await script(["discord", "111"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Deleted 3 rows of the discord workspace 111.");
    expect(await likes(removed)).toBe(0);
    expect(await likes(kept)).toBe(1);
  });

  it("refuses a platform or an id it does not know, saying which", async () => {
    const web = await script(["web", "web"]);
    expect(web.code).toBe(1);
    expect(web.stderr).toContain('platform must be slack or discord, not "web"');
    const bad = await script(["slack", "T1; DROP TABLE members"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("A workspace id is 1-64 plain characters.");
  });
});
