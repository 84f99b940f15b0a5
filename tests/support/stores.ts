import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { PostgresTasteStore } from "../../core/adapters/postgres/postgres-taste-store.ts";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { countRows, createTestDatabase } from "./postgres-db.ts";

/** One engine under test: how to open a store on it, count rows, and clean up. */
export interface EngineUnderTest {
  name: "sqlite" | "postgres";
  /** DATABASE_URL for this engine's database. */
  url: string;
  open(): Promise<TasteStore>;
  /** Runs a COUNT(*) AS count query straight on the database (not through the store). */
  count(sql: string): Promise<number>;
  dispose(): Promise<void>;
}

export async function sqliteEngine(): Promise<EngineUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "moviebot-members-"));
  const file = join(dir, "data", "moviebot.db");
  return {
    name: "sqlite",
    url: `sqlite:${file}`,
    open: () => SqliteTasteStore.open(file),
    async count(sql) {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        return Number((db.prepare(sql).get() as { count: number }).count);
      } finally {
        db.close();
      }
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresEngine(): Promise<EngineUnderTest> {
  const db = await createTestDatabase();
  return {
    name: "postgres",
    url: db.url,
    async open() {
      const store = new PostgresTasteStore(db.url);
      await store.migrate();
      return store;
    },
    count: (sql) => countRows(db.url, sql),
    dispose: () => db.drop(),
  };
}
