import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { databaseUrl, openTasteStore } from "../../../bot/builders/taste-store-builder.ts";
import { loadConfig } from "../../../bot/config.ts";
import { memberId, TasteStoreUnavailableError } from "../../../core/members/taste-store.ts";

const dir = mkdtempSync(join(tmpdir(), "moviebot-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = pino({ level: "silent" });
const member = memberId("slack", "T1", "U1");

describe("DATABASE_URL", () => {
  it("defaults to a SQLite file in DATA_DIR, created on first start", async () => {
    const config = loadConfig({ DATA_DIR: join(dir, "fresh") });
    expect(databaseUrl(config)).toBe(`sqlite:${join(dir, "fresh", "moviebot.db")}`);
    const store = await openTasteStore(config, silent);
    await store.mark(member, 1, "seen", true);
    await store.close();
    expect(existsSync(join(dir, "fresh", "moviebot.db"))).toBe(true);
  });

  it("rejects anything but sqlite: and postgres://, naming the variable", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h/db" }).DATABASE_URL).toBe(
      "postgresql://u@h/db",
    );
  });

  it("a SQLite file that cannot be opened leaves the bot running, every call failing clearly", async () => {
    const blocker = join(dir, "not-a-folder");
    writeFileSync(blocker, "a file where a folder should be");
    const store = await openTasteStore(
      loadConfig({ DATABASE_URL: `sqlite:${join(blocker, "moviebot.db")}` }),
      silent,
    );
    await expect(store.entries(member)).rejects.toBeInstanceOf(TasteStoreUnavailableError);
    await expect(store.mark(member, 1, "like", true)).rejects.toBeInstanceOf(
      TasteStoreUnavailableError,
    );
  });

  it("PostgreSQL that does not answer at start-up: the store is returned and calls fail clearly", async () => {
    const store = await openTasteStore(
      loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" }),
      silent,
    );
    await expect(store.entries(member)).rejects.toBeInstanceOf(TasteStoreUnavailableError);
    await store.close();
  });
});
