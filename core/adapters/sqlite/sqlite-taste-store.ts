import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
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

type Params = Record<string, SQLInputValue>;

export interface SqliteTasteStoreOptions {
  /** How long a write waits for another process (the worker) to finish its own. */
  busyTimeoutMs?: number;
  now?: () => number;
}

/**
 * The embedded store: one SQLite file through node:sqlite (no native addon). WAL lets the server
 * and a worker share the file (readers never wait for the writer) and the busy timeout makes a
 * second writer wait instead of failing; synchronous=FULL makes a committed click survive a crash.
 * node:sqlite is synchronous: statements are tiny, and the async port keeps callers unaware.
 */
export class SqliteTasteStore implements TasteStore {
  private readonly db: DatabaseSync;
  private readonly sql = new EngineStatements("sqlite");
  private readonly prepared = new Map<string, StatementSync>();
  private readonly now: () => number;

  private constructor(db: DatabaseSync, now: () => number) {
    this.db = db;
    this.now = now;
  }

  /** Opens (creating the file and its folder on first start) and migrates. */
  static async open(
    path: string,
    options: SqliteTasteStoreOptions = {},
  ): Promise<SqliteTasteStore> {
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const db = new DatabaseSync(path);
      const busy = Math.max(0, Math.round(options.busyTimeoutMs ?? 5000));
      db.exec(`PRAGMA busy_timeout = ${busy}`);
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
      db.exec("PRAGMA foreign_keys = ON");
      const store = new SqliteTasteStore(db, options.now ?? Date.now);
      await store.migrate();
      return store;
    } catch (error) {
      throw unavailable(error, `could not open the member database at ${path}`);
    }
  }

  async migrate(): Promise<void> {
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

  async mark(member: MemberId, movieId: number, kind: TasteKind, on: boolean): Promise<MovieTaste> {
    return this.transaction(() => {
      const memberId = this.memberId(member);
      const now = this.now();
      if (on) {
        this.run("insert_member_movie", { member_id: memberId, movie_id: movieId, kind, now });
        const opposite = kind === "like" ? "dislike" : kind === "dislike" ? "like" : null;
        if (opposite) {
          this.run("delete_member_movie", {
            member_id: memberId,
            movie_id: movieId,
            kind: opposite,
          });
        }
      } else {
        this.run("delete_member_movie", { member_id: memberId, movie_id: movieId, kind });
      }
      const taste: MovieTaste = { ...NO_TASTE };
      for (const row of this.all("select_member_movie", {
        member_id: memberId,
        movie_id: movieId,
      })) {
        taste[row.kind as TasteKind] = true;
      }
      return taste;
    });
  }

  async addLikes(member: MemberId, movieIds: readonly number[]): Promise<void> {
    if (movieIds.length === 0) return;
    this.transaction(() => {
      const memberId = this.memberId(member);
      const now = this.now();
      for (const movieId of new Set(movieIds)) {
        this.run("insert_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind: "like",
          now,
        });
        this.run("delete_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind: "dislike",
        });
      }
    });
  }

  async entries(member: MemberId): Promise<TasteEntry[]> {
    return this.guard(() =>
      this.all("select_member_entries", keyOf(member)).map((row) => ({
        movieId: Number(row.movie_id),
        kind: row.kind as TasteKind,
        at: Number(row.created_at),
      })),
    );
  }

  async forget(member: MemberId): Promise<number> {
    return this.transaction(() => {
      const row = this.all("select_member_id", keyOf(member))[0];
      return this.deleteNights(member) + (row ? this.deleteMember(Number(row.id)) : 0);
    });
  }

  async touch(member: MemberId): Promise<void> {
    this.transaction(() => this.run("update_member_seen", { ...keyOf(member), now: this.now() }));
  }

  async forgetIdle(platform: Platform, before: number): Promise<number> {
    let members = 0;
    for (;;) {
      const batch = this.transaction(() => {
        const ids = this.all("select_members_not_seen_since", {
          platform,
          before,
          limit: IDLE_BATCH,
        });
        for (const row of ids) {
          this.deleteNights(memberKeyOf(row));
          this.deleteMember(Number(row.id));
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
  private deleteNights(member: MemberId): number {
    let deleted = 0;
    for (const name of MEMBER_NIGHT_STATEMENTS) deleted += this.run(name, keyOf(member));
    return deleted;
  }

  /** Every row about one member (inside a transaction); returns how many rows went. */
  private deleteMember(id: number): number {
    const params = { member_id: id };
    return (
      this.run("delete_member_movies", params) +
      this.run("delete_member_settings", params) +
      this.run("delete_member", params)
    );
  }

  async forgetWorkspace(platform: Platform, workspace: string): Promise<number> {
    return this.transaction(() => {
      const params = { platform, workspace };
      let nights = 0;
      for (const name of WORKSPACE_NIGHT_STATEMENTS) nights += this.run(name, params);
      nights += this.run("delete_workspace_night_claims", {
        prefix: claimPrefix(platform, workspace),
      });
      return (
        nights +
        this.run("delete_workspace_movies", params) +
        this.run("delete_workspace_settings", params) +
        this.run("delete_workspace_members", params)
      );
    });
  }

  async communityLikes(
    platform: Platform,
    workspace: string,
    limit: number,
  ): Promise<CommunityLikes> {
    return this.guard(() => {
      const totals = this.all("select_community_like_totals", { platform, workspace })[0];
      const top = this.all("select_community_top_likes", { platform, workspace, limit }).map(
        (row) => ({ movieId: Number(row.movie_id), likes: Number(row.likes) }),
      );
      return { likes: Number(totals?.likes ?? 0), members: Number(totals?.members ?? 0), top };
    });
  }

  async allLikes(): Promise<MemberLike[]> {
    return this.guard(() =>
      this.all("select_all_likes").map((row) => ({
        member: Number(row.member_id),
        movieId: Number(row.movie_id),
      })),
    );
  }

  async settings(member: MemberId): Promise<MemberSettings> {
    return this.guard(() => settingsFromRow(this.all("select_member_settings", keyOf(member))[0]));
  }

  async saveSettings(member: MemberId, change: Partial<MemberSettings>): Promise<MemberSettings> {
    return this.transaction(() => {
      const current = settingsFromRow(this.all("select_member_settings", keyOf(member))[0]);
      const next = { ...current, ...change };
      this.run("upsert_member_settings", {
        member_id: this.memberId(member),
        region: next.region,
        services: JSON.stringify(next.services),
        now: this.now(),
      });
      return next;
    });
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private memberId(member: MemberId): number {
    const row = this.statement("upsert_member").get({ ...keyOf(member), now: this.now() });
    return Number(row?.id);
  }

  private statement(name: string): StatementSync {
    let statement = this.prepared.get(name);
    if (!statement) {
      statement = this.db.prepare(this.sql.sql(name));
      this.prepared.set(name, statement);
    }
    return statement;
  }

  private run(name: string, params: Params = {}): number {
    return Number(this.statement(name).run(params).changes);
  }

  private all(name: string, params: Params = {}): Record<string, SQLInputValue>[] {
    return this.statement(name).all(params) as Record<string, SQLInputValue>[];
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking. */
  private transaction<T>(work: () => T): T {
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

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw unavailable(error, "the member database failed");
    }
  }
}

function memberKeyOf(row: Record<string, SQLInputValue>): MemberId {
  return {
    platform: row.platform as Platform,
    workspace: String(row.workspace),
    user: String(row.user_id),
  };
}

function keyOf(member: MemberId): Params {
  return { platform: member.platform, workspace: member.workspace, user_id: member.user };
}

function unavailable(error: unknown, message: string): TasteStoreUnavailableError {
  if (error instanceof TasteStoreUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TasteStoreUnavailableError(`${message}: ${reason}`, { cause: error });
}
