import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { PostgresMovieNightStore } from "../../core/adapters/postgres/postgres-movie-night-store.ts";
import { PostgresTasteStore } from "../../core/adapters/postgres/postgres-taste-store.ts";
import { SqliteMovieNightStore } from "../../core/adapters/sqlite/sqlite-movie-night-store.ts";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import type { MovieNightStore } from "../../core/movienight/movie-night.ts";
import { createTestDatabase, postgresUnavailable } from "./postgres-db.ts";

/** One database engine with both stores on it, as the bot opens them from one DATABASE_URL. */
export interface NightEngine {
  name: "sqlite" | "postgres";
  url: string;
  openNights(): Promise<MovieNightStore>;
  openTaste(): Promise<TasteStore>;
  dispose(): Promise<void>;
}

export async function sqliteNightEngine(): Promise<NightEngine> {
  const dir = mkdtempSync(join(tmpdir(), "moviebot-nights-"));
  const file = join(dir, "data", "moviebot.db");
  return {
    name: "sqlite",
    url: `sqlite:${file}`,
    openNights: () => SqliteMovieNightStore.open(file),
    openTaste: () => SqliteTasteStore.open(file),
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresNightEngine(): Promise<NightEngine> {
  const db = await createTestDatabase();
  return {
    name: "postgres",
    url: db.url,
    async openNights() {
      const store = new PostgresMovieNightStore(db.url);
      await store.migrate();
      return store;
    },
    async openTaste() {
      const store = new PostgresTasteStore(db.url);
      await store.migrate();
      return store;
    },
    dispose: () => db.drop(),
  };
}

/** Both engines; PostgreSQL with the reason it is skipped when it does not answer. */
export async function nightEngines(): Promise<
  [string, () => Promise<NightEngine>, string | null][]
> {
  const pgDown = await postgresUnavailable();
  return [
    ["sqlite", sqliteNightEngine, null],
    ["postgres", postgresNightEngine, pgDown],
  ];
}

/**
 * vi.waitFor with room for a loaded machine (several test files run at once on two cores): the
 * default second is too short for a click's round trip through Bolt, the database and the stand-in.
 */
export function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  return vi.waitFor(check, { timeout: 10_000, interval: 50, ...options });
}
