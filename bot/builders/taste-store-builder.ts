import { join } from "node:path";
import type { Logger } from "pino";
import { SqliteTasteStore } from "../../core/adapters/sqlite/sqlite-taste-store.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../core/members/unavailable-taste-store.ts";
import type { Config } from "../config.ts";

/** DATABASE_URL, or the embedded default: sqlite:<DATA_DIR>/moviebot.db. */
export function databaseUrl(config: Pick<Config, "DATABASE_URL" | "DATA_DIR">): string {
  return config.DATABASE_URL ?? `sqlite:${join(config.DATA_DIR, "moviebot.db")}`;
}

/** Which engine a DATABASE_URL names, for logs and deploy checks (never the URL: it may hold a password). */
export function databaseEngine(url: string): "sqlite" | "postgres" {
  return url.startsWith("sqlite:") ? "sqlite" : "postgres";
}

/**
 * The member store DATABASE_URL names, migrated. A database that cannot be reached does not stop
 * the bot: PostgreSQL retries on the next call, SQLite that cannot open is replaced by a store
 * whose every call fails (recommendations then go on without profiles).
 */
export async function openTasteStore(config: Config, logger: Logger): Promise<TasteStore> {
  const url = databaseUrl(config);
  const engine = databaseEngine(url);
  if (engine === "sqlite") {
    const file = url.slice("sqlite:".length);
    try {
      const store = await SqliteTasteStore.open(file);
      logger.info({ engine, file }, "member database ready");
      return store;
    } catch (error) {
      logger.error({ err: error, engine, file }, "member database unavailable; profiles are off");
      return new UnavailableTasteStore((error as Error).message);
    }
  }
  // PostgreSQL's client only when DATABASE_URL names it: the embedded default skips its modules.
  const { PostgresTasteStore } = await import(
    "../../core/adapters/postgres/postgres-taste-store.ts"
  );
  const store = new PostgresTasteStore(url);
  try {
    await store.migrate();
    logger.info({ engine }, "member database ready");
  } catch (error) {
    logger.error(
      { engine, reason: (error as Error).message },
      "member database unreachable; profiles are off until it answers",
    );
  }
  return store;
}
