import pg from "pg";
import { TasteStoreUnavailableError } from "../../members/taste-store.ts";
import { EngineStatements } from "../../sql/statements.ts";

export type PostgresParams = Record<string, unknown>;
export type PostgresRow = Record<string, unknown>;
/** The pool or a client inside a transaction: statements run on either. */
export type Queryable = Pick<pg.PoolClient, "query">;

/** Any number will do, as long as nothing else on the server takes the same advisory lock. */
const MIGRATION_LOCK = 7_140_001;

export interface PostgresDatabaseOptions {
  /** Give up connecting after this long: a click must hear back within Slack's 3 seconds. */
  connectTimeoutMs?: number;
  /** Server-side limit per statement. */
  statementTimeoutMs?: number;
  poolSize?: number;
  now?: () => number;
}

/**
 * A pool on the member database (PostgreSQL through `pg`; Cloud SQL on Cloud Run, where several
 * instances share it), shared in kind by the member store and the movie-night store (each holds
 * its own). Migrations run lazily on first use under an advisory lock, retried after a failure, so
 * a database that is down at start-up costs the profile, never the bot; every failure is the
 * store being unavailable, said with the database's name.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  private readonly sql = new EngineStatements("postgres");
  private readonly name: string;
  private readonly now: () => number;
  private migrated: Promise<void> | null = null;

  constructor(connectionString: string, name: string, options: PostgresDatabaseOptions = {}) {
    this.name = name;
    this.now = options.now ?? Date.now;
    this.pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
      statement_timeout: options.statementTimeoutMs ?? 5000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on("error", () => {});
  }

  /** One migrations table and folder for both stores: whichever comes first applies them all. */
  migrate(): Promise<void> {
    if (!this.migrated) {
      this.migrated = this.transactionNow(async (client) => {
        await this.query(client, "lock_migrations", { key: MIGRATION_LOCK });
        await this.query(client, "create_schema_migrations");
        const applied = new Set(
          (await this.query(client, "select_migrations")).map((row) => String(row.version)),
        );
        for (const version of this.sql.migrations()) {
          if (applied.has(version)) continue;
          await client.query(this.sql.sql(version));
          await this.query(client, "insert_migration", { version, applied_at: this.now() });
        }
      }).catch((error: unknown) => {
        this.migrated = null;
        throw error;
      });
    }
    return this.migrated;
  }

  /** Runs a statement file; returns its rows. */
  async query(
    client: Queryable,
    name: string,
    params: PostgresParams = {},
  ): Promise<PostgresRow[]> {
    return (await this.execute(client, name, params)).rows as PostgresRow[];
  }

  /** Runs a statement file; returns how many rows it changed. */
  async count(client: Queryable, name: string, params: PostgresParams): Promise<number> {
    return (await this.execute(client, name, params)).rowCount ?? 0;
  }

  /** A read outside a transaction, once migrated. */
  async read(name: string, params: PostgresParams): Promise<PostgresRow[]> {
    try {
      await this.migrate();
      return await this.query(this.pool, name, params);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** `work` in one transaction, once migrated: committed whole or rolled back. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      await this.migrate();
      return await this.transactionNow(work);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private execute(client: Queryable, name: string, params: PostgresParams) {
    const { text, names } = this.sql.positional(name);
    return client.query(
      text,
      names.map((n) => params[n]),
    );
  }

  private async transactionNow<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private unavailable(error: unknown): TasteStoreUnavailableError {
    if (error instanceof TasteStoreUnavailableError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new TasteStoreUnavailableError(`${this.name} failed: ${reason}`, { cause: error });
  }
}
