import type { Platform } from "../../members/taste-store.ts";
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
import { SqliteDatabase, type SqliteDatabaseOptions, type SqliteRow } from "./sqlite-database.ts";

type Row = SqliteRow;

/**
 * Movie nights in the embedded SQLite file (the member database's file, its own connection): every
 * write in one synchronous BEGIN IMMEDIATE transaction (sqlite-database.ts), so two processes
 * sharing the file (server and worker) queue their writes and a vote never lands half-counted.
 */
export class SqliteMovieNightStore implements MovieNightStore {
  private readonly database: SqliteDatabase;
  private readonly now: () => number;

  private constructor(database: SqliteDatabase, now: () => number) {
    this.database = database;
    this.now = now;
  }

  /** Opens (creating the file and its folder on first start) and migrates. */
  static async open(
    path: string,
    options: SqliteDatabaseOptions = {},
  ): Promise<SqliteMovieNightStore> {
    const database = SqliteDatabase.open(path, "the movie-night database", options);
    return new SqliteMovieNightStore(database, options.now ?? Date.now);
  }

  async migrate(): Promise<void> {
    this.database.migrate();
  }

  async create(night: NewNight, named: readonly string[]): Promise<MovieNight> {
    return this.database.transaction(() => {
      this.database.run("insert_movie_night", {
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
        this.database.run("insert_night_participant", {
          night_id: night.id,
          user_id: user,
          how: "named",
          now: night.createdAt,
        });
      }
      return nightFromRow(this.database.one("select_movie_night", { id: night.id }) as Row);
    });
  }

  async night(id: string): Promise<MovieNight | null> {
    return this.database.guard(() => {
      const row = this.database.one("select_movie_night", { id });
      return row ? nightFromRow(row) : null;
    });
  }

  async participants(id: string): Promise<Participant[]> {
    return this.database.guard(() =>
      this.database.all("select_night_participants", { night_id: id }).map(participantFromRow),
    );
  }

  async join(id: string, user: string, at: number): Promise<{ joined: boolean } | null> {
    return this.database.transaction(() => {
      if (this.database.one("share_movie_night", { id })?.state !== "open") return null;
      const changes = this.database.run("insert_night_participant", {
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
    return this.database.transaction(() => {
      if (
        this.database.run("start_night_voting", { id, vote_until: voteUntil, now: this.now() }) ===
        0
      )
        return null;
      for (const c of candidates) {
        this.database.run("insert_night_candidate", {
          night_id: id,
          movie_id: c.movieId,
          rank: c.rank,
          score: c.score,
          reason: c.reason,
        });
      }
      return nightFromRow(this.database.one("select_movie_night", { id }) as Row);
    });
  }

  async cancel(id: string): Promise<MovieNight | null> {
    return this.database.transaction(() => {
      const now = this.now();
      const changed =
        this.database.run("update_night_state", { id, from: "open", to: "cancelled", now }) +
        this.database.run("update_night_state", { id, from: "voting", to: "cancelled", now });
      return changed === 0
        ? null
        : nightFromRow(this.database.one("select_movie_night", { id }) as Row);
    });
  }

  async closeWithoutPoll(id: string): Promise<MovieNight | null> {
    return this.database.transaction(() => {
      const changed = this.database.run("update_night_state", {
        id,
        from: "open",
        to: "closed",
        now: this.now(),
      });
      return changed === 0
        ? null
        : nightFromRow(this.database.one("select_movie_night", { id }) as Row);
    });
  }

  async candidates(id: string): Promise<Candidate[]> {
    return this.database.guard(() =>
      this.database.all("select_night_candidates", { night_id: id }).map(candidateFromRow),
    );
  }

  async vote(id: string, user: string, movieId: number, at: number): Promise<Tally | null> {
    return this.database.transaction(() => {
      if (this.database.one("share_movie_night", { id })?.state !== "voting") return null;
      if (!this.database.one("select_night_candidate", { night_id: id, movie_id: movieId }))
        return null;
      this.database.run("upsert_night_vote", {
        night_id: id,
        user_id: user,
        movie_id: movieId,
        now: at,
      });
      return tallyFromRows(this.database.all("select_night_tally", { night_id: id }));
    });
  }

  async tally(id: string): Promise<Tally> {
    return this.database.guard(() =>
      tallyFromRows(this.database.all("select_night_tally", { night_id: id })),
    );
  }

  async finish(
    id: string,
    counted?: Tally,
  ): Promise<{ night: MovieNight; tally: Tally; candidates: Candidate[] } | null> {
    return this.database.transaction(() => {
      if (this.database.one("lock_movie_night", { id })?.state !== "voting") return null;
      const tally =
        counted ?? tallyFromRows(this.database.all("select_night_tally", { night_id: id }));
      const candidates = this.database
        .all("select_night_candidates", { night_id: id })
        .map(candidateFromRow);
      const winner = winnerOf(candidates, tally);
      if (this.database.run("finish_movie_night", { id, winner, now: this.now() }) === 0)
        return null;
      const night = nightFromRow(this.database.one("select_movie_night", { id }) as Row);
      return { night, tally, candidates };
    });
  }

  async setMessage(id: string, which: "join" | "poll", ref: string): Promise<void> {
    this.database.transaction(() =>
      this.database.run(which === "join" ? "set_night_join_message" : "set_night_poll_message", {
        id,
        ref,
      }),
    );
  }

  async claim(key: string, at: number): Promise<boolean> {
    return this.database.transaction(
      () => this.database.run("insert_night_claim", { key, now: at }) === 1,
    );
  }

  async release(key: string): Promise<void> {
    this.database.transaction(() => this.database.run("delete_night_claim", { key }));
  }

  async pending(): Promise<MovieNight[]> {
    return this.database.guard(() => this.database.all("select_pending_nights").map(nightFromRow));
  }

  async saveSchedule(schedule: NightSchedule): Promise<void> {
    this.database.transaction(() =>
      this.database.run("upsert_night_schedule", {
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
    return this.database.transaction(() => this.database.run("delete_night_schedule", { id }) > 0);
  }

  async schedule(id: string): Promise<NightSchedule | null> {
    return this.database.guard(() => {
      const row = this.database.one("select_night_schedule", { id });
      return row ? scheduleFromRow(row) : null;
    });
  }

  async schedules(filter?: { platform: Platform; workspace: string }): Promise<NightSchedule[]> {
    return this.database.guard(() =>
      (filter
        ? this.database.all("select_workspace_schedules", { ...filter })
        : this.database.all("select_all_schedules")
      ).map(scheduleFromRow),
    );
  }

  async close(): Promise<void> {
    this.database.close();
  }
}
