import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll } from "vitest";
import { PostgresTasteStore } from "../../core/adapters/postgres/postgres-taste-store.ts";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { countRows, createTestDatabase, postgresUnavailable } from "./postgres-db.ts";
import { describeWith } from "./requirements.ts";

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

const postgresDown = await postgresUnavailable();

/** One member database under test, as a suite of describeEachEngine sees it once it has started. */
export interface OnEngine<H> {
  readonly name: EngineUnderTest["name"];
  readonly engine: EngineUnderTest;
  readonly store: TasteStore;
  /** What `harness.start` built on the store (a Slack or Discord endpoint); undefined without one. */
  readonly h: H;
  /** Closes the store and opens a new one on the same database: a restart. */
  reopen(): Promise<void>;
}

/**
 * The same suite on both engines: SQLite always, PostgreSQL when it answers (skipped with the
 * reason when it does not). Each gets a fresh database and a migrated store before its tests, and
 * optionally a harness started on that store (the real Slack app or Discord endpoint); all of it
 * is closed and dropped after.
 */
export function describeEachEngine(title: string, body: (on: OnEngine<undefined>) => void): void {
  describeEachEngineWith(title, undefined, body);
}

/** describeEachEngine with a harness started on each engine's store, reached as `on.h`. */
export function describeEachEngineWith<H>(
  title: string,
  harness: { start(store: TasteStore): Promise<H>; stop(h: H): Promise<void> } | undefined,
  body: (on: OnEngine<H>) => void,
): void {
  const engines = [
    ["sqlite", sqliteEngine, { available: true, reason: "" }],
    ["postgres", postgresEngine, { available: postgresDown === null, reason: postgresDown ?? "" }],
  ] as const;
  for (const [name, make, requirement] of engines) {
    describeWith(requirement)(`${title} on ${name}`, () => {
      let engine: EngineUnderTest | undefined;
      let store: TasteStore | undefined;
      let h: H | undefined;
      beforeAll(async () => {
        engine = await make();
        store = await engine.open();
        if (harness) h = await harness.start(store);
      });
      afterAll(async () => {
        if (harness && h !== undefined) await harness.stop(h);
        await store?.close();
        await engine?.dispose();
      });
      const started = <T>(value: T | undefined, what: string): T => {
        if (value === undefined)
          throw new Error(`${what} is not started yet (use it inside a test)`);
        return value;
      };
      body({
        name,
        get engine() {
          return started(engine, "the engine");
        },
        get store() {
          return started(store, "the store");
        },
        async reopen() {
          await store?.close();
          store = await started(engine, "the engine").open();
        },
        get h() {
          return (harness ? started(h, "the harness") : undefined) as H;
        },
      });
    });
  }
}
