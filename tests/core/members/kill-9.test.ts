import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, movieIdsOf, type TasteStore } from "../../../core/members/taste-store.ts";
import { postgresUnavailable } from "../../support/postgres-db.ts";
import { type EngineUnderTest, postgresEngine, sqliteEngine } from "../../support/stores.ts";

// Nothing acknowledged is lost: a write the store confirmed survives a kill -9 right after.
const pgDown = await postgresUnavailable();
const engines: [string, () => Promise<EngineUnderTest>, string | null][] = [
  ["sqlite", sqliteEngine, null],
  ["postgres", postgresEngine, pgDown],
];
const CHILD = join(import.meta.dirname, "fixtures", "click-child.ts");

/** Runs the child until it confirmed `count` writes, kills it with SIGKILL, returns what it confirmed. */
function clickThenKill(url: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, url], { stdio: ["ignore", "pipe", "pipe"] });
    const confirmed: number[] = [];
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const id = /^saved (\d+)$/.exec(line)?.[1];
        if (id) confirmed.push(Number(id));
      }
      if (confirmed.length >= count && child.exitCode === null) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(confirmed);
      else reject(new Error(`child ended without being killed: ${stderr}`));
    });
  });
}

for (const [name, makeEngine, skipReason] of engines) {
  const suite = skipReason ? describe.skip : describe;
  suite(`kill -9 on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: EngineUnderTest;
    let store: TasteStore;
    beforeAll(async () => {
      engine = await makeEngine();
    });
    afterAll(async () => {
      await store?.close();
      await engine?.dispose();
    });

    it("keeps every write that was confirmed before the process was killed", async () => {
      const confirmed = await clickThenKill(engine.url, 30);
      expect(confirmed.length).toBeGreaterThanOrEqual(30);
      store = await engine.open();
      const stored = new Set(
        movieIdsOf(await store.entries(memberId("slack", "TKILL", "U1")), "like"),
      );
      for (const id of confirmed) expect(stored.has(id)).toBe(true);
    });
  });
}
