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
import {
  PostgresDatabase,
  type PostgresDatabaseOptions,
  type PostgresRow,
} from "./postgres-database.ts";

type Row = PostgresRow;

/**
 * Movie nights in PostgreSQL (the member database). Votes share-lock their night's row and a
 * close locks it for update: the close waits for votes in flight and every vote after it sees the
 * night closed, so the announced tally is exactly the rows. Claims are primary-key inserts.
 */
export class PostgresMovieNightStore implements MovieNightStore {
  private readonly database: PostgresDatabase;
  private readonly now: () => number;

  constructor(connectionString: string, options: PostgresDatabaseOptions = {}) {
    this.database = new PostgresDatabase(connectionString, "the movie-night database", options);
    this.now = options.now ?? Date.now;
  }

  migrate(): Promise<void> {
    return this.database.migrate();
  }

  async create(night: NewNight, named: readonly string[]): Promise<MovieNight> {
    return this.database.transaction(async (client) => {
      await this.database.query(client, "insert_movie_night", {
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
        await this.database.query(client, "insert_night_participant", {
          night_id: night.id,
          user_id: user,
          how: "named",
          now: night.createdAt,
        });
      }
      return nightFromRow(
        (await this.database.query(client, "select_movie_night", { id: night.id }))[0] as Row,
      );
    });
  }

  async night(id: string): Promise<MovieNight | null> {
    const [row] = await this.database.read("select_movie_night", { id });
    return row ? nightFromRow(row) : null;
  }

  async participants(id: string): Promise<Participant[]> {
    return (await this.database.read("select_night_participants", { night_id: id })).map(
      participantFromRow,
    );
  }

  async join(id: string, user: string, at: number): Promise<{ joined: boolean } | null> {
    return this.database.transaction(async (client) => {
      const [night] = await this.database.query(client, "share_movie_night", { id });
      if (night?.state !== "open") return null;
      const changes = await this.database.count(client, "insert_night_participant", {
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
    return this.database.transaction(async (client) => {
      const params = { id, vote_until: voteUntil, now: this.now() };
      if ((await this.database.count(client, "start_night_voting", params)) === 0) return null;
      for (const c of candidates) {
        await this.database.query(client, "insert_night_candidate", {
          night_id: id,
          movie_id: c.movieId,
          rank: c.rank,
          score: c.score,
          reason: c.reason,
        });
      }
      return nightFromRow(
        (await this.database.query(client, "select_movie_night", { id }))[0] as Row,
      );
    });
  }

  async cancel(id: string): Promise<MovieNight | null> {
    return this.database.transaction(async (client) => {
      const now = this.now();
      let changed = 0;
      for (const from of ["open", "voting"]) {
        changed += await this.database.count(client, "update_night_state", {
          id,
          from,
          to: "cancelled",
          now,
        });
      }
      if (changed === 0) return null;
      return nightFromRow(
        (await this.database.query(client, "select_movie_night", { id }))[0] as Row,
      );
    });
  }

  async closeWithoutPoll(id: string): Promise<MovieNight | null> {
    return this.database.transaction(async (client) => {
      const params = { id, from: "open", to: "closed", now: this.now() };
      if ((await this.database.count(client, "update_night_state", params)) === 0) return null;
      return nightFromRow(
        (await this.database.query(client, "select_movie_night", { id }))[0] as Row,
      );
    });
  }

  async candidates(id: string): Promise<Candidate[]> {
    return (await this.database.read("select_night_candidates", { night_id: id })).map(
      candidateFromRow,
    );
  }

  async vote(id: string, user: string, movieId: number, at: number): Promise<Tally | null> {
    return this.database.transaction(async (client) => {
      const [night] = await this.database.query(client, "share_movie_night", { id });
      if (night?.state !== "voting") return null;
      const params = { night_id: id, movie_id: movieId };
      if ((await this.database.query(client, "select_night_candidate", params)).length === 0)
        return null;
      await this.database.query(client, "upsert_night_vote", { ...params, user_id: user, now: at });
      return tallyFromRows(
        await this.database.query(client, "select_night_tally", { night_id: id }),
      );
    });
  }

  async tally(id: string): Promise<Tally> {
    return tallyFromRows(await this.database.read("select_night_tally", { night_id: id }));
  }

  async finish(
    id: string,
    counted?: Tally,
  ): Promise<{ night: MovieNight; tally: Tally; candidates: Candidate[] } | null> {
    return this.database.transaction(async (client) => {
      const [locked] = await this.database.query(client, "lock_movie_night", { id });
      if (locked?.state !== "voting") return null;
      const tally =
        counted ??
        tallyFromRows(await this.database.query(client, "select_night_tally", { night_id: id }));
      const candidates = (
        await this.database.query(client, "select_night_candidates", { night_id: id })
      ).map(candidateFromRow);
      const winner = winnerOf(candidates, tally);
      if (
        (await this.database.count(client, "finish_movie_night", {
          id,
          winner,
          now: this.now(),
        })) === 0
      )
        return null;
      const night = nightFromRow(
        (await this.database.query(client, "select_movie_night", { id }))[0] as Row,
      );
      return { night, tally, candidates };
    });
  }

  async setMessage(id: string, which: "join" | "poll", ref: string): Promise<void> {
    await this.database.transaction((client) =>
      this.database.query(
        client,
        which === "join" ? "set_night_join_message" : "set_night_poll_message",
        {
          id,
          ref,
        },
      ),
    );
  }

  async claim(key: string, at: number): Promise<boolean> {
    return this.database.transaction(
      async (client) =>
        (await this.database.count(client, "insert_night_claim", { key, now: at })) === 1,
    );
  }

  async release(key: string): Promise<void> {
    await this.database.transaction((client) =>
      this.database.query(client, "delete_night_claim", { key }),
    );
  }

  async pending(): Promise<MovieNight[]> {
    return (await this.database.read("select_pending_nights", {})).map(nightFromRow);
  }

  async saveSchedule(schedule: NightSchedule): Promise<void> {
    await this.database.transaction((client) =>
      this.database.query(client, "upsert_night_schedule", {
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
    return this.database.transaction(
      async (client) => (await this.database.count(client, "delete_night_schedule", { id })) > 0,
    );
  }

  async schedule(id: string): Promise<NightSchedule | null> {
    const [row] = await this.database.read("select_night_schedule", { id });
    return row ? scheduleFromRow(row) : null;
  }

  async schedules(filter?: { platform: Platform; workspace: string }): Promise<NightSchedule[]> {
    const rows = filter
      ? await this.database.read("select_workspace_schedules", { ...filter })
      : await this.database.read("select_all_schedules", {});
    return rows.map(scheduleFromRow);
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}
