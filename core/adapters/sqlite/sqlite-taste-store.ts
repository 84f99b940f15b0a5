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
  SqliteDatabase,
  type SqliteDatabaseOptions,
  type SqliteParams,
  type SqliteRow,
} from "./sqlite-database.ts";
import { SqliteReadCache } from "./sqlite-read-cache.ts";

type Params = SqliteParams;

/**
 * What is kept of members' reads between requests, the most recently asked first: settings for
 * 10,000 members, and entries up to 200,000 in all (a few MB), however they are spread.
 */
const KEPT_SETTINGS = 10_000;
const KEPT_ENTRIES = 200_000;

/**
 * The embedded member store: one SQLite file through node:sqlite (no native addon); how the file
 * is shared with a worker and why a committed click survives a crash is in sqlite-database.ts.
 */
export class SqliteTasteStore implements TasteStore {
  private readonly database: SqliteDatabase;
  private readonly now: () => number;
  /** What `entries` and `settings` last read; every write below goes through `write`, which drops them. */
  private readonly kept: {
    entries: SqliteReadCache<TasteEntry[]>;
    settings: SqliteReadCache<MemberSettings>;
  };

  private constructor(database: SqliteDatabase, now: () => number) {
    this.database = database;
    this.now = now;
    this.kept = {
      entries: new SqliteReadCache(database, {
        maxSize: KEPT_ENTRIES,
        size: (entries) => entries.length + 1,
        copy: (entries) => entries.map((entry) => ({ ...entry })),
      }),
      settings: new SqliteReadCache(database, {
        maxSize: KEPT_SETTINGS,
        size: () => 1,
        copy: (settings) => ({ ...settings, services: [...settings.services] }),
      }),
    };
  }

  /** A write transaction; what was kept of members' reads is dropped after it, whatever its end. */
  private write<T>(work: () => T): T {
    try {
      return this.database.transaction(work);
    } finally {
      this.kept.entries.clear();
      this.kept.settings.clear();
    }
  }

  /** Opens (creating the file and its folder on first start) and migrates. */
  static async open(path: string, options: SqliteDatabaseOptions = {}): Promise<SqliteTasteStore> {
    const database = SqliteDatabase.open(path, "the member database", options);
    return new SqliteTasteStore(database, options.now ?? Date.now);
  }

  async migrate(): Promise<void> {
    this.database.migrate();
  }

  async mark(member: MemberId, movieId: number, kind: TasteKind, on: boolean): Promise<MovieTaste> {
    return this.write(() => {
      const memberId = this.memberId(member);
      const now = this.now();
      if (on) {
        this.database.run("insert_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind,
          now,
        });
        const opposite = kind === "like" ? "dislike" : kind === "dislike" ? "like" : null;
        if (opposite) {
          this.database.run("delete_member_movie", {
            member_id: memberId,
            movie_id: movieId,
            kind: opposite,
          });
        }
      } else {
        this.database.run("delete_member_movie", { member_id: memberId, movie_id: movieId, kind });
      }
      const taste: MovieTaste = { ...NO_TASTE };
      for (const row of this.database.all("select_member_movie", {
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
    this.write(() => {
      const memberId = this.memberId(member);
      const now = this.now();
      for (const movieId of new Set(movieIds)) {
        this.database.run("insert_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind: "like",
          now,
        });
        this.database.run("delete_member_movie", {
          member_id: memberId,
          movie_id: movieId,
          kind: "dislike",
        });
      }
    });
  }

  async entries(member: MemberId): Promise<TasteEntry[]> {
    return this.database.guard(() =>
      this.kept.entries.get(cacheKey(member), () =>
        this.database.all("select_member_entries", keyOf(member)).map((row) => ({
          movieId: Number(row.movie_id),
          kind: row.kind as TasteKind,
          at: Number(row.created_at),
        })),
      ),
    );
  }

  async forget(member: MemberId): Promise<number> {
    return this.write(() => {
      const row = this.database.all("select_member_id", keyOf(member))[0];
      return this.deleteNights(member) + (row ? this.deleteMember(Number(row.id)) : 0);
    });
  }

  async touch(member: MemberId): Promise<void> {
    this.write(() =>
      this.database.run("update_member_seen", { ...keyOf(member), now: this.now() }),
    );
  }

  async forgetIdle(platform: Platform, before: number): Promise<number> {
    let members = 0;
    for (;;) {
      const batch = this.write(() => {
        const ids = this.database.all("select_members_not_seen_since", {
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
    for (const name of MEMBER_NIGHT_STATEMENTS) deleted += this.database.run(name, keyOf(member));
    return deleted;
  }

  /** Every row about one member (inside a transaction); returns how many rows went. */
  private deleteMember(id: number): number {
    const params = { member_id: id };
    return (
      this.database.run("delete_member_movies", params) +
      this.database.run("delete_member_settings", params) +
      this.database.run("delete_member", params)
    );
  }

  async forgetWorkspace(platform: Platform, workspace: string): Promise<number> {
    return this.write(() => {
      const params = { platform, workspace };
      let nights = 0;
      for (const name of WORKSPACE_NIGHT_STATEMENTS) nights += this.database.run(name, params);
      nights += this.database.run("delete_workspace_night_claims", {
        prefix: claimPrefix(platform, workspace),
      });
      return (
        nights +
        this.database.run("delete_workspace_movies", params) +
        this.database.run("delete_workspace_settings", params) +
        this.database.run("delete_workspace_members", params)
      );
    });
  }

  async communityLikes(
    platform: Platform,
    workspace: string,
    limit: number,
  ): Promise<CommunityLikes> {
    return this.database.guard(() => {
      const totals = this.database.all("select_community_like_totals", { platform, workspace })[0];
      const top = this.database
        .all("select_community_top_likes", { platform, workspace, limit })
        .map((row) => ({ movieId: Number(row.movie_id), likes: Number(row.likes) }));
      return { likes: Number(totals?.likes ?? 0), members: Number(totals?.members ?? 0), top };
    });
  }

  async allLikes(): Promise<MemberLike[]> {
    return this.database.guard(() =>
      this.database.all("select_all_likes").map((row) => ({
        member: Number(row.member_id),
        movieId: Number(row.movie_id),
      })),
    );
  }

  async settings(member: MemberId): Promise<MemberSettings> {
    return this.database.guard(() =>
      this.kept.settings.get(cacheKey(member), () =>
        settingsFromRow(this.database.all("select_member_settings", keyOf(member))[0]),
      ),
    );
  }

  async saveSettings(member: MemberId, change: Partial<MemberSettings>): Promise<MemberSettings> {
    return this.write(() => {
      const current = settingsFromRow(
        this.database.all("select_member_settings", keyOf(member))[0],
      );
      const next = { ...current, ...change };
      this.database.run("upsert_member_settings", {
        member_id: this.memberId(member),
        region: next.region,
        services: JSON.stringify(next.services),
        now: this.now(),
      });
      return next;
    });
  }

  async close(): Promise<void> {
    this.database.close();
  }

  private memberId(member: MemberId): number {
    const row = this.database.one("upsert_member", { ...keyOf(member), now: this.now() });
    return Number(row?.id);
  }
}

function memberKeyOf(row: SqliteRow): MemberId {
  return {
    platform: row.platform as Platform,
    workspace: String(row.workspace),
    user: String(row.user_id),
  };
}

/** One string per member: the parts cannot hold a NUL. */
function cacheKey(member: MemberId): string {
  return `${member.platform}\u0000${member.workspace}\u0000${member.user}`;
}

function keyOf(member: MemberId): Params {
  return { platform: member.platform, workspace: member.workspace, user_id: member.user };
}
