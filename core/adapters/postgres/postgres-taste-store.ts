import pg from "pg";
import {
  type CommunityLikes,
  claimPrefix,
  IDLE_BATCH,
  MEMBER_NIGHT_STATEMENTS,
  type MemberId,
  type MemberLike,
  type MemberSettings,
  type MovieTaste,
  NO_TASTE,
  type Platform,
  settingsFromRow,
  type TasteEntry,
  type TasteKind,
  type TasteStore,
  TasteStoreUnavailableError,
  WORKSPACE_NIGHT_STATEMENTS,
} from "../../members/taste-store.ts";
import { EngineStatements } from "../../sql/statements.ts";

type Params = Record<string, unknown>;
type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, "query">;

/** Any number will do, as long as nothing else on the server takes the same advisory lock. */
const MIGRATION_LOCK = 7_140_001;

export interface PostgresTasteStoreOptions {
  /** Give up connecting after this long: a click must hear back within Slack's 3 seconds. */
  connectTimeoutMs?: number;
  /** Server-side limit per statement. */
  statementTimeoutMs?: number;
  poolSize?: number;
  now?: () => number;
}

/**
 * The production store: PostgreSQL through `pg` (Cloud SQL on Cloud Run, where several instances
 * share it). Migrations run lazily on first use, retried after a failure, so a database that is
 * down at start-up costs the profile, never the bot.
 */
export class PostgresTasteStore implements TasteStore {
  private readonly pool: pg.Pool;
  private readonly sql = new EngineStatements("postgres");
  private readonly now: () => number;
  private migrated: Promise<void> | null = null;

  constructor(connectionString: string, options: PostgresTasteStoreOptions = {}) {
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

  async mark(member: MemberId, movieId: number, kind: TasteKind, on: boolean): Promise<MovieTaste> {
    return this.transaction(async (client) => {
      const memberId = await this.memberId(client, member);
      const now = this.now();
      if (on) {
        await this.query(client, "insert_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind,
          now,
        });
        const opposite = kind === "like" ? "dislike" : kind === "dislike" ? "like" : null;
        if (opposite) {
          await this.query(client, "delete_member_movie", {
            member_id: memberId,
            movie_id: movieId,
            kind: opposite,
          });
        }
      } else {
        await this.query(client, "delete_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind,
        });
      }
      const taste: MovieTaste = { ...NO_TASTE };
      const rows = await this.query(client, "select_member_movie", {
        member_id: memberId,
        movie_id: movieId,
      });
      for (const row of rows) taste[row.kind as TasteKind] = true;
      return taste;
    });
  }

  async addLikes(member: MemberId, movieIds: readonly number[]): Promise<void> {
    if (movieIds.length === 0) return;
    await this.transaction(async (client) => {
      const memberId = await this.memberId(client, member);
      const now = this.now();
      for (const movieId of new Set(movieIds)) {
        const params = { member_id: memberId, movie_id: movieId };
        await this.query(client, "insert_member_movie", { ...params, kind: "like", now });
        await this.query(client, "delete_member_movie", { ...params, kind: "dislike" });
      }
    });
  }

  async entries(member: MemberId): Promise<TasteEntry[]> {
    const rows = await this.read("select_member_entries", keyOf(member));
    return rows.map((row) => ({
      movieId: Number(row.movie_id),
      kind: row.kind as TasteKind,
      at: Number(row.created_at),
    }));
  }

  async forget(member: MemberId): Promise<number> {
    return this.transaction(async (client) => {
      const [row] = await this.query(client, "select_member_id", keyOf(member));
      const nights = await this.deleteNights(client, member);
      return nights + (row ? await this.deleteMember(client, row.id) : 0);
    });
  }

  async touch(member: MemberId): Promise<void> {
    await this.transaction((client) =>
      this.query(client, "update_member_seen", { ...keyOf(member), now: this.now() }),
    );
  }

  async forgetIdle(platform: Platform, before: number): Promise<number> {
    let members = 0;
    for (;;) {
      const batch = await this.transaction(async (client) => {
        const ids = await this.query(client, "select_members_not_seen_since", {
          platform,
          before,
          limit: IDLE_BATCH,
        });
        for (const row of ids) {
          await this.deleteNights(client, {
            platform: row.platform as Platform,
            workspace: String(row.workspace),
            user: String(row.user_id),
          });
          await this.deleteMember(client, row.id);
        }
        return ids.length;
      });
      members += batch;
      if (batch < IDLE_BATCH) return members;
    }
  }

  /**
   * The member's movie-night rows (same database): their votes and places, and the nights and
   * weekly schedules they started, with everyone's rows in those. Inside a transaction.
   */
  private async deleteNights(client: Queryable, member: MemberId): Promise<number> {
    let deleted = 0;
    for (const name of MEMBER_NIGHT_STATEMENTS) {
      deleted += await this.count(client, name, keyOf(member));
    }
    return deleted;
  }

  /** Every row about one member (inside a transaction); returns how many rows went. */
  private async deleteMember(client: Queryable, id: unknown): Promise<number> {
    let deleted = 0;
    for (const name of ["delete_member_movies", "delete_member_settings", "delete_member"]) {
      deleted += await this.count(client, name, { member_id: id });
    }
    return deleted;
  }

  async forgetWorkspace(platform: Platform, workspace: string): Promise<number> {
    return this.transaction(async (client) => {
      let deleted = await this.count(client, "delete_workspace_night_claims", {
        prefix: claimPrefix(platform, workspace),
      });
      for (const name of [
        ...WORKSPACE_NIGHT_STATEMENTS,
        "delete_workspace_movies",
        "delete_workspace_settings",
        "delete_workspace_members",
      ]) {
        deleted += await this.count(client, name, { platform, workspace });
      }
      return deleted;
    });
  }

  async communityLikes(
    platform: Platform,
    workspace: string,
    limit: number,
  ): Promise<CommunityLikes> {
    const [totals] = await this.read("select_community_like_totals", { platform, workspace });
    const top = await this.read("select_community_top_likes", { platform, workspace, limit });
    return {
      likes: Number(totals?.likes ?? 0),
      members: Number(totals?.members ?? 0),
      top: top.map((row) => ({ movieId: Number(row.movie_id), likes: Number(row.likes) })),
    };
  }

  async allLikes(): Promise<MemberLike[]> {
    const rows = await this.read("select_all_likes", {});
    return rows.map((row) => ({ member: Number(row.member_id), movieId: Number(row.movie_id) }));
  }

  async settings(member: MemberId): Promise<MemberSettings> {
    const [row] = await this.read("select_member_settings", keyOf(member));
    return settingsFromRow(row);
  }

  async saveSettings(member: MemberId, change: Partial<MemberSettings>): Promise<MemberSettings> {
    return this.transaction(async (client) => {
      // The member upsert locks the member's row first, so two saves of one member queue up.
      const id = await this.memberId(client, member);
      const [row] = await this.query(client, "select_member_settings", keyOf(member));
      const next = { ...settingsFromRow(row), ...change };
      await this.query(client, "upsert_member_settings", {
        member_id: id,
        region: next.region,
        services: JSON.stringify(next.services),
        now: this.now(),
      });
      return next;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async memberId(client: Queryable, member: MemberId): Promise<unknown> {
    const [row] = await this.query(client, "upsert_member", { ...keyOf(member), now: this.now() });
    return row?.id;
  }

  private async query(client: Queryable, name: string, params: Params = {}): Promise<Row[]> {
    const { text, names } = this.sql.positional(name);
    const result = await client.query(
      text,
      names.map((n) => params[n]),
    );
    return result.rows as Row[];
  }

  private async count(client: Queryable, name: string, params: Params): Promise<number> {
    const { text, names } = this.sql.positional(name);
    const result = await client.query(
      text,
      names.map((n) => params[n]),
    );
    return result.rowCount ?? 0;
  }

  private async read(name: string, params: Params): Promise<Row[]> {
    try {
      await this.migrate();
      return await this.query(this.pool, name, params);
    } catch (error) {
      throw unavailable(error);
    }
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    try {
      await this.migrate();
      return await this.transactionNow(work);
    } catch (error) {
      throw unavailable(error);
    }
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
}

function keyOf(member: MemberId): Params {
  return { platform: member.platform, workspace: member.workspace, user_id: member.user };
}

function unavailable(error: unknown): TasteStoreUnavailableError {
  if (error instanceof TasteStoreUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TasteStoreUnavailableError(`the member database failed: ${reason}`, { cause: error });
}
