import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { TasteStoreUnavailableError } from "../../members/taste-store.ts";
import { EngineStatements } from "../../sql/statements.ts";

export type SqliteParams = Record<string, SQLInputValue>;
export type SqliteRow = Record<string, SQLInputValue>;

export interface SqliteDatabaseOptions {
  /** How long a write waits for another process (the worker) to finish its own. */
  busyTimeoutMs?: number;
  now?: () => number;
}

/**
 * One connection to the member database's SQLite file, shared by the member store and the
 * movie-night store (each opens its own). WAL lets the server and a worker share the file (readers
 * never wait for the writer) and the busy timeout makes a second writer wait instead of failing;
 * synchronous=FULL makes a committed click survive a crash. Every write runs in a synchronous
 * BEGIN IMMEDIATE transaction, so a transaction never spans an await (which would let another
 * connection wait on our lock). node:sqlite is synchronous: statements are tiny, and the stores'
 * async ports keep callers unaware.
 */
export class SqliteDatabase {
  private readonly sql = new EngineStatements("sqlite");
  private readonly prepared = new Map<string, StatementSync>();

  private readonly db: DatabaseSync;
  /** "the member database": how failures name it. */
  private readonly name: string;
  private readonly now: () => number;

  private constructor(db: DatabaseSync, name: string, now: () => number) {
    this.db = db;
    this.name = name;
    this.now = now;
  }

  /** Opens (creating the file and its folder on first start) and applies the migrations. */
  static open(path: string, name: string, options: SqliteDatabaseOptions = {}): SqliteDatabase {
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
      db.exec("PRAGMA foreign_keys = ON");
      const database = new SqliteDatabase(db, name, options.now ?? Date.now);
      database.migrate();
      return database;
    } catch (error) {
      throw unavailable(error, `could not open ${name} at ${path}`);
    }
  }

  /** One migrations table and folder for both stores: whichever opens first applies them all. */
  migrate(): void {
    this.transaction(() => {
      this.run("create_schema_migrations");
      const applied = new Set(this.all("select_migrations").map((row) => String(row.version)));
      for (const version of this.sql.migrations()) {
        if (applied.has(version)) continue;
        this.db.exec(this.sql.sql(version));
        this.run("insert_migration", { version, applied_at: this.now() });
      }
    });
  }

  /** Runs a statement file; returns how many rows it changed. */
  run(name: string, params: SqliteParams = {}): number {
    return Number(this.statement(name).run(params).changes);
  }

  all(name: string, params: SqliteParams = {}): SqliteRow[] {
    return this.statement(name).all(params) as SqliteRow[];
  }

  one(name: string, params: SqliteParams): SqliteRow | undefined {
    return this.statement(name).get(params) as SqliteRow | undefined;
  }

  /** PRAGMA data_version: changes when another connection commits to the file (SqliteReadCache). */
  dataVersion(): number {
    return Number(this.one("select_data_version", {})?.data_version);
  }

  transaction<T>(work: () => T): T {
    return this.guard(() => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = work();
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /** A read or write outside a transaction: any failure is the store being unavailable. */
  guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw unavailable(error, `${this.name} failed`);
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  private statement(name: string): StatementSync {
    let statement = this.prepared.get(name);
    if (!statement) {
      statement = this.db.prepare(this.sql.sql(name));
      this.prepared.set(name, statement);
    }
    return statement;
  }
}

function unavailable(error: unknown, message: string): TasteStoreUnavailableError {
  if (error instanceof TasteStoreUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TasteStoreUnavailableError(`${message}: ${reason}`, { cause: error });
}
