import { MoviebotError } from "../errors.ts";

/** Where a member talks to the bot. "web" is the web page's signed-in member. */
export const PLATFORMS = ["slack", "discord", "web"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * One member: the same person in two Slack workspaces is two members, since each workspace can
 * uninstall the app and take its members' data with it.
 */
export interface MemberId {
  platform: Platform;
  /** Slack team id, Discord guild id ("dm" outside a server), or the web's own realm. */
  workspace: string;
  /** The platform's user id. */
  user: string;
}

/** What a member can say about a movie: 👍, 👎, Seen it, Watchlist. Like and dislike exclude each other. */
export const TASTE_KINDS = ["like", "dislike", "seen", "watchlist"] as const;
export type TasteKind = (typeof TASTE_KINDS)[number];

export interface TasteEntry {
  movieId: number;
  kind: TasteKind;
  /** Epoch ms the member said it. */
  at: number;
}

/** The four controls of one card, as the member left them. */
export type MovieTaste = Record<TasteKind, boolean>;

export const NO_TASTE: MovieTaste = Object.freeze({
  like: false,
  dislike: false,
  seen: false,
  watchlist: false,
});

export interface CommunityLikes {
  /** Likes by this workspace's members, and how many members gave them. */
  likes: number;
  members: number;
  /** Most liked first (ties: the lower movieId). */
  top: { movieId: number; likes: number }[];
}

/** A like for the recommender's data: the store's own member number, never a platform id. */
export interface MemberLike {
  member: number;
  movieId: number;
}

/** Where a member watches: their region (two letters) and the streaming services they have. */
export interface MemberSettings {
  region: string | null;
  services: string[];
}

export const NO_SETTINGS: MemberSettings = Object.freeze({ region: null, services: [] });

/** No one subscribes to more; a longer list is a paste gone wrong. */
export const MAX_SERVICES = 20;

/**
 * Port: what members told the bot, per member. Adapters: SqliteTasteStore (embedded, one machine),
 * PostgresTasteStore (production). Every write is one transaction; writes are idempotent (setting
 * a control that is already on changes nothing), so a repeated click stores one row.
 */
export interface TasteStore {
  /** Applies pending migrations; safe to call again, and from several processes at once. */
  migrate(): Promise<void>;
  /** Turns one control on or off for one movie; returns the movie's controls afterwards. */
  mark(member: MemberId, movieId: number, kind: TasteKind, on: boolean): Promise<MovieTaste>;
  /** Picks in /recommend: likes, in one transaction (already liked ones keep their date). */
  addLikes(member: MemberId, movieIds: readonly number[]): Promise<void>;
  /** Everything the member told us, newest first. Unknown member: empty. */
  entries(member: MemberId): Promise<TasteEntry[]>;
  /**
   * Deletes every row about the member, movie nights included (MEMBER_NIGHT_STATEMENTS); returns
   * how many rows went.
   */
  forget(member: MemberId): Promise<number>;
  /**
   * Deletes every member of a workspace (the app was uninstalled), and its movie nights; returns
   * how many rows went.
   */
  forgetWorkspace(platform: Platform, workspace: string): Promise<number>;
  /** Records a visit without a write (a write is a visit already); a member with no rows stays so. */
  touch(member: MemberId): Promise<void>;
  /**
   * Deletes every member of the platform not seen (no visit, no write) since `before` (epoch ms),
   * with all their rows, as forget me does; returns how many members went. For web members, whose
   * cookie expires after SESSION_IDLE_DAYS and who nobody can name after that.
   */
  forgetIdle(platform: Platform, before: number): Promise<number>;
  /** What a workspace's members like most. */
  communityLikes(platform: Platform, workspace: string, limit: number): Promise<CommunityLikes>;
  /** Every member's likes, for folding into the recommender's data on a refresh. */
  allLikes(): Promise<MemberLike[]>;
  /** The member's region and services; NO_SETTINGS for a member who set none. */
  settings(member: MemberId): Promise<MemberSettings>;
  /** Changes the given settings (the others stay), in one transaction; returns them afterwards. */
  saveSettings(member: MemberId, change: Partial<MemberSettings>): Promise<MemberSettings>;
  close(): Promise<void>;
}

/** The database could not be reached or refused the write; the member is told, the log says why. */
export class TasteStoreUnavailableError extends MoviebotError {
  constructor(message: string, options?: ErrorOptions) {
    super("backend_unavailable", message, options);
    this.name = "TasteStoreUnavailableError";
  }
}

/**
 * Forget me and uninstall reach the movie nights too (they share the member database): these
 * statements, in this order (votes before the films they point at, every row before its night),
 * run in the same transaction as the member's own rows.
 */
export const MEMBER_NIGHT_STATEMENTS = [
  "delete_member_night_votes",
  "delete_member_night_participants",
  "delete_member_night_candidates",
  "delete_member_nights",
  "delete_member_night_schedules",
] as const;
export const WORKSPACE_NIGHT_STATEMENTS = [
  "delete_workspace_night_votes",
  "delete_workspace_night_participants",
  "delete_workspace_night_candidates",
  "delete_workspace_nights",
  "delete_workspace_night_schedules",
] as const;

/** The start of a workspace's weekly occurrence claims ("schedule:<schedule id>:<time>"). */
export function claimPrefix(platform: Platform, workspace: string): string {
  return `schedule:${platform}:${workspace}:`;
}

/** Idle members are deleted this many per transaction, so a long backlog never holds a big lock. */
export const IDLE_BATCH = 500;

const ID_TEXT = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Checks a member id before it reaches a database: platform ids are short plain tokens. */
export function memberId(platform: Platform, workspace: string, user: string): MemberId {
  if (!PLATFORMS.includes(platform))
    throw new Error(`Unknown platform ${JSON.stringify(platform)}`);
  if (!ID_TEXT.test(workspace)) throw new Error("A workspace id is 1-64 plain characters.");
  if (!ID_TEXT.test(user)) throw new Error("A user id is 1-64 plain characters.");
  return { platform, workspace, user };
}

export function isTasteKind(value: unknown): value is TasteKind {
  return typeof value === "string" && (TASTE_KINDS as readonly string[]).includes(value);
}

/** The controls of each movie the entries mention. */
export function tasteByMovie(entries: readonly TasteEntry[]): Map<number, MovieTaste> {
  const byMovie = new Map<number, MovieTaste>();
  for (const entry of entries) {
    const taste = byMovie.get(entry.movieId) ?? { ...NO_TASTE };
    taste[entry.kind] = true;
    byMovie.set(entry.movieId, taste);
  }
  return byMovie;
}

/** Movie ids of one kind, newest first. */
export function movieIdsOf(entries: readonly TasteEntry[], kind: TasteKind): number[] {
  return entries.filter((e) => e.kind === kind).map((e) => e.movieId);
}

/** Settings as stored (services as a JSON array) back to their shape; bad rows read as unset. */
export function settingsFromRow(row: { region?: unknown; services?: unknown } | undefined) {
  if (!row) return { ...NO_SETTINGS, services: [] };
  let services: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(row.services ?? "[]"));
    if (Array.isArray(parsed)) services = parsed.filter((s): s is string => typeof s === "string");
  } catch {
    services = [];
  }
  const region =
    typeof row.region === "string" && /^[A-Z]{2}$/.test(row.region) ? row.region : null;
  return { region, services: services.slice(0, MAX_SERVICES) };
}
