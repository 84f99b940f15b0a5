import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { Platform } from "../../members/taste-store.ts";
import { TasteStoreUnavailableError } from "../../members/taste-store.ts";
import {
  type Candidate,
  candidateFromRow,
  type MovieNight,
  type MovieNightStore,
  type NewNight,
  type NightSchedule,
  nightFromRow,
  type Participant,
  participantFromRow,
  scheduleFromRow,
  type Tally,
  tallyFromRows,
  winnerOf,
} from "../../movienight/movie-night.ts";
import { EngineStatements } from "../../sql/statements.ts";

type Params = Record<string, SQLInputValue>;
type Row = Record<string, SQLInputValue>;

/**
 * Movie nights in the embedded SQLite file (the member database's file, its own connection).
 * Like SqliteTasteStore: WAL, a busy timeout, and every write in a synchronous BEGIN IMMEDIATE
 * transaction, so two processes sharing the file (server and worker) queue their writes and a
 * transaction never spans an await (which would let another connection wait on our lock).
 */
export class SqliteMovieNightStore implements MovieNightStore {
  private readonly db: DatabaseSync;
  private readonly sql = new EngineStatements("sqlite");
  private readonly prepared = new Map<string, StatementSync>();
  private readonly now: () => number;

  private constructor(db: DatabaseSync, now: () => number) {
    this.db = db;
    this.now = now;
  }

  static async open(
    path: string,
    options: { busyTimeoutMs?: number; now?: () => number } = {},
  ): Promise<SqliteMovieNightStore> {
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
      db.exec("PRAGMA foreign_keys = ON");
      const store = new SqliteMovieNightStore(db, options.now ?? Date.now);
      await store.migrate();
      return store;
    } catch (error) {
      throw unavailable(error);
    }
  }

  async migrate(): Promise<void> {
    // The same migrations table and folder as the member store: whichever opens first applies both.
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

  async create(night: NewNight, named: readonly string[]): Promise<MovieNight> {
    return this.transaction(() => {
      this.run("insert_movie_night", {
        id: night.id,
        platform: night.platform,
        workspace: night.workspace,
        channel: night.channel,
        starter: night.starter,
        schedule_id: night.scheduleId,
        join_until: night.joinUntil,
        now: night.createdAt,
      });
      for (const user of new Set(named)) {
        this.run("insert_night_participant", {
          night_id: night.id,
          user_id: user,
          how: "named",
          now: night.createdAt,
        });
      }
      return nightFromRow(this.one("select_movie_night", { id: night.id }) as Row);
    });
  }

  async night(id: string): Promise<MovieNight | null> {
    return this.guard(() => {
      const row = this.one("select_movie_night", { id });
      return row ? nightFromRow(row) : null;
    });
  }

  async participants(id: string): Promise<Participant[]> {
    return this.guard(() =>
      this.all("select_night_participants", { night_id: id }).map(participantFromRow),
    );
  }

  async join(id: string, user: string, at: number): Promise<{ joined: boolean } | null> {
    return this.transaction(() => {
      if (this.one("share_movie_night", { id })?.state !== "open") return null;
      const changes = this.run("insert_night_participant", {
        night_id: id,
        user_id: user,
        how: "joined",
        now: at,
      });
      return { joined: changes > 0 };
    });
  }

  async startVoting(
    id: string,
    candidates: readonly Candidate[],
    voteUntil: number,
  ): Promise<MovieNight | null> {
    return this.transaction(() => {
      if (this.run("start_night_voting", { id, vote_until: voteUntil, now: this.now() }) === 0)
        return null;
      for (const c of candidates) {
        this.run("insert_night_candidate", {
          night_id: id,
          movie_id: c.movieId,
          rank: c.rank,
          score: c.score,
          reason: c.reason,
        });
      }
      return nightFromRow(this.one("select_movie_night", { id }) as Row);
    });
  }

  async cancel(id: string): Promise<MovieNight | null> {
    return this.transaction(() => {
      const now = this.now();
      const changed =
        this.run("update_night_state", { id, from: "open", to: "cancelled", now }) +
        this.run("update_night_state", { id, from: "voting", to: "cancelled", now });
      return changed === 0 ? null : nightFromRow(this.one("select_movie_night", { id }) as Row);
    });
  }

  async closeWithoutPoll(id: string): Promise<MovieNight | null> {
    return this.transaction(() => {
      const changed = this.run("update_night_state", {
        id,
        from: "open",
        to: "closed",
        now: this.now(),
      });
      return changed === 0 ? null : nightFromRow(this.one("select_movie_night", { id }) as Row);
    });
  }

  async candidates(id: string): Promise<Candidate[]> {
    return this.guard(() =>
      this.all("select_night_candidates", { night_id: id }).map(candidateFromRow),
    );
  }

  async vote(id: string, user: string, movieId: number, at: number): Promise<Tally | null> {
    return this.transaction(() => {
      if (this.one("share_movie_night", { id })?.state !== "voting") return null;
      if (!this.one("select_night_candidate", { night_id: id, movie_id: movieId })) return null;
      this.run("upsert_night_vote", { night_id: id, user_id: user, movie_id: movieId, now: at });
      return tallyFromRows(this.all("select_night_tally", { night_id: id }));
    });
  }

  async tally(id: string): Promise<Tally> {
    return this.guard(() => tallyFromRows(this.all("select_night_tally", { night_id: id })));
  }

  async finish(
    id: string,
    counted?: Tally,
  ): Promise<{ night: MovieNight; tally: Tally; candidates: Candidate[] } | null> {
    return this.transaction(() => {
      if (this.one("lock_movie_night", { id })?.state !== "voting") return null;
      const tally = counted ?? tallyFromRows(this.all("select_night_tally", { night_id: id }));
      const candidates = this.all("select_night_candidates", { night_id: id }).map(
        candidateFromRow,
      );
      const winner = winnerOf(candidates, tally);
      if (this.run("finish_movie_night", { id, winner, now: this.now() }) === 0) return null;
      const night = nightFromRow(this.one("select_movie_night", { id }) as Row);
      return { night, tally, candidates };
    });
  }

  async setMessage(id: string, which: "join" | "poll", ref: string): Promise<void> {
    this.transaction(() =>
      this.run(which === "join" ? "set_night_join_message" : "set_night_poll_message", { id, ref }),
    );
  }

  async claim(key: string, at: number): Promise<boolean> {
    return this.transaction(() => this.run("insert_night_claim", { key, now: at }) === 1);
  }

  async release(key: string): Promise<void> {
    this.transaction(() => this.run("delete_night_claim", { key }));
  }

  async pending(): Promise<MovieNight[]> {
    return this.guard(() => this.all("select_pending_nights").map(nightFromRow));
  }

  async saveSchedule(schedule: NightSchedule): Promise<void> {
    this.transaction(() =>
      this.run("upsert_night_schedule", {
        id: schedule.id,
        platform: schedule.platform,
        workspace: schedule.workspace,
        channel: schedule.channel,
        weekday: schedule.weekday,
        local_time: schedule.time,
        time_zone: schedule.timeZone,
        set_by: schedule.setBy,
        now: schedule.createdAt,
      }),
    );
  }

  async removeSchedule(id: string): Promise<boolean> {
    return this.transaction(() => this.run("delete_night_schedule", { id }) > 0);
  }

  async schedule(id: string): Promise<NightSchedule | null> {
    return this.guard(() => {
      const row = this.one("select_night_schedule", { id });
      return row ? scheduleFromRow(row) : null;
    });
  }

  async schedules(filter?: { platform: Platform; workspace: string }): Promise<NightSchedule[]> {
    return this.guard(() =>
      (filter
        ? this.all("select_workspace_schedules", { ...filter })
        : this.all("select_all_schedules")
      ).map(scheduleFromRow),
    );
  }

  async close(): Promise<void> {
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

  private run(name: string, params: Params = {}): number {
    return Number(this.statement(name).run(params).changes);
  }

  private all(name: string, params: Params = {}): Row[] {
    return this.statement(name).all(params) as Row[];
  }

  private one(name: string, params: Params): Row | undefined {
    return this.statement(name).get(params) as Row | undefined;
  }

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
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): TasteStoreUnavailableError {
  if (error instanceof TasteStoreUnavailableError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TasteStoreUnavailableError(`the movie-night database failed: ${reason}`, {
    cause: error,
  });
}
