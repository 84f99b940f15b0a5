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
  WORKSPACE_NIGHT_STATEMENTS,
} from "../../members/taste-store.ts";
import {
  PostgresDatabase,
  type PostgresDatabaseOptions,
  type PostgresParams,
  type Queryable,
} from "./postgres-database.ts";

type Params = PostgresParams;

/**
 * The production store: PostgreSQL through `pg` (Cloud SQL on Cloud Run, where several instances
 * share it). Migrations run lazily on first use, retried after a failure, so a database that is
 * down at start-up costs the profile, never the bot.
 */
export class PostgresTasteStore implements TasteStore {
  private readonly database: PostgresDatabase;
  private readonly now: () => number;

  constructor(connectionString: string, options: PostgresDatabaseOptions = {}) {
    this.database = new PostgresDatabase(connectionString, "the member database", options);
    this.now = options.now ?? Date.now;
  }

  migrate(): Promise<void> {
    return this.database.migrate();
  }

  async mark(member: MemberId, movieId: number, kind: TasteKind, on: boolean): Promise<MovieTaste> {
    return this.database.transaction(async (client) => {
      const memberId = await this.memberId(client, member);
      const now = this.now();
      if (on) {
        await this.database.query(client, "insert_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind,
          now,
        });
        const opposite = kind === "like" ? "dislike" : kind === "dislike" ? "like" : null;
        if (opposite) {
          await this.database.query(client, "delete_member_movie", {
            member_id: memberId,
            movie_id: movieId,
            kind: opposite,
          });
        }
      } else {
        await this.database.query(client, "delete_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind,
        });
      }
      const taste: MovieTaste = { ...NO_TASTE };
      const rows = await this.database.query(client, "select_member_movie", {
        member_id: memberId,
        movie_id: movieId,
      });
      for (const row of rows) taste[row.kind as TasteKind] = true;
      return taste;
    });
  }

  async addLikes(member: MemberId, movieIds: readonly number[]): Promise<void> {
    if (movieIds.length === 0) return;
    await this.database.transaction(async (client) => {
      const memberId = await this.memberId(client, member);
      const now = this.now();
      for (const movieId of new Set(movieIds)) {
        const params = { member_id: memberId, movie_id: movieId };
        await this.database.query(client, "insert_member_movie", { ...params, kind: "like", now });
        await this.database.query(client, "delete_member_movie", { ...params, kind: "dislike" });
      }
    });
  }

  async entries(member: MemberId): Promise<TasteEntry[]> {
    const rows = await this.database.read("select_member_entries", keyOf(member));
    return rows.map((row) => ({
      movieId: Number(row.movie_id),
      kind: row.kind as TasteKind,
      at: Number(row.created_at),
    }));
  }

  async forget(member: MemberId): Promise<number> {
    return this.database.transaction(async (client) => {
      const [row] = await this.database.query(client, "select_member_id", keyOf(member));
      const nights = await this.deleteNights(client, member);
      return nights + (row ? await this.deleteMember(client, row.id) : 0);
    });
  }

  async touch(member: MemberId): Promise<void> {
    await this.database.transaction((client) =>
      this.database.query(client, "update_member_seen", { ...keyOf(member), now: this.now() }),
    );
  }

  async forgetIdle(platform: Platform, before: number): Promise<number> {
    let members = 0;
    for (;;) {
      const batch = await this.database.transaction(async (client) => {
        const ids = await this.database.query(client, "select_members_not_seen_since", {
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
      deleted += await this.database.count(client, name, keyOf(member));
    }
    return deleted;
  }

  /** Every row about one member (inside a transaction); returns how many rows went. */
  private async deleteMember(client: Queryable, id: unknown): Promise<number> {
    let deleted = 0;
    for (const name of ["delete_member_movies", "delete_member_settings", "delete_member"]) {
      deleted += await this.database.count(client, name, { member_id: id });
    }
    return deleted;
  }

  async forgetWorkspace(platform: Platform, workspace: string): Promise<number> {
    return this.database.transaction(async (client) => {
      let deleted = await this.database.count(client, "delete_workspace_night_claims", {
        prefix: claimPrefix(platform, workspace),
      });
      for (const name of [
        ...WORKSPACE_NIGHT_STATEMENTS,
        "delete_workspace_movies",
        "delete_workspace_settings",
        "delete_workspace_members",
      ]) {
        deleted += await this.database.count(client, name, { platform, workspace });
      }
      return deleted;
    });
  }

  async communityLikes(
    platform: Platform,
    workspace: string,
    limit: number,
  ): Promise<CommunityLikes> {
    const [totals] = await this.database.read("select_community_like_totals", {
      platform,
      workspace,
    });
    const top = await this.database.read("select_community_top_likes", {
      platform,
      workspace,
      limit,
    });
    return {
      likes: Number(totals?.likes ?? 0),
      members: Number(totals?.members ?? 0),
      top: top.map((row) => ({ movieId: Number(row.movie_id), likes: Number(row.likes) })),
    };
  }

  async allLikes(): Promise<MemberLike[]> {
    const rows = await this.database.read("select_all_likes", {});
    return rows.map((row) => ({ member: Number(row.member_id), movieId: Number(row.movie_id) }));
  }

  async settings(member: MemberId): Promise<MemberSettings> {
    const [row] = await this.database.read("select_member_settings", keyOf(member));
    return settingsFromRow(row);
  }

  async saveSettings(member: MemberId, change: Partial<MemberSettings>): Promise<MemberSettings> {
    return this.database.transaction(async (client) => {
      // The member upsert locks the member's row first, so two saves of one member queue up.
      const id = await this.memberId(client, member);
      const [row] = await this.database.query(client, "select_member_settings", keyOf(member));
      const next = { ...settingsFromRow(row), ...change };
      await this.database.query(client, "upsert_member_settings", {
        member_id: id,
        region: next.region,
        services: JSON.stringify(next.services),
        now: this.now(),
      });
      return next;
    });
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  private async memberId(client: Queryable, member: MemberId): Promise<unknown> {
    const [row] = await this.database.query(client, "upsert_member", {
      ...keyOf(member),
      now: this.now(),
    });
    return row?.id;
  }
}

function keyOf(member: MemberId): Params {
  return { platform: member.platform, workspace: member.workspace, user_id: member.user };
}
