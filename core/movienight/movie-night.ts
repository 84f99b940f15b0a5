import { MoviebotError } from "../errors.ts";
import type { Platform } from "../members/taste-store.ts";

/**
 * A movie night: a channel decides together. It is `open` while members join (the "I'm in"
 * button, MOVIENIGHT_JOIN_MINUTES), `voting` once the group's top picks are posted
 * (MOVIENIGHT_VOTE_HOURS), then `closed` with a winner, or `cancelled` by its starter.
 */
export const NIGHT_STATES = ["open", "voting", "closed", "cancelled"] as const;
export type NightState = (typeof NIGHT_STATES)[number];

export interface MovieNight {
  /** The store's id (a UUID): travels in button values and job data. */
  id: string;
  platform: Platform;
  /** Slack team id, Discord guild id. */
  workspace: string;
  channel: string;
  /** Who started it (for a scheduled night: who set the schedule); only they may cancel. */
  starter: string;
  state: NightState;
  /** The weekly schedule that posted it, or null for a /movienight by hand. */
  scheduleId: string | null;
  /** Epoch ms joining closes and the poll is posted. */
  joinUntil: number;
  /** Epoch ms voting closes; null until the poll is posted. */
  voteUntil: number | null;
  /** The winning movieId once closed. */
  winner: number | null;
  /** The platform's reference to the join post and to the poll (Slack: message ts), for edits. */
  joinMessage: string | null;
  pollMessage: string | null;
  createdAt: number;
}

/** Someone taking part: named by the starter, or joined with the button. */
export interface Participant {
  user: string;
  how: "named" | "joined";
  at: number;
}

/** One film of the poll, in the group's order (rank 1 first). */
export interface Candidate {
  movieId: number;
  rank: number;
  /** The group score (0..1, the members' average); it breaks vote ties. */
  score: number;
  /** "Liked by people who liked Anna's and Ben's picks". */
  reason: string;
}

/** Votes per candidate, counted from the vote rows (one row per member). */
export type Tally = Map<number, number>;

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly movie night in one channel (one per channel; setting it again replaces it). */
export interface NightSchedule {
  /** platform:workspace:channel — one per channel, and the job scheduler's id. */
  id: string;
  platform: Platform;
  workspace: string;
  channel: string;
  /** 0 = Sunday … 6 = Saturday (cron's numbering). */
  weekday: number;
  /** "HH:MM", 24-hour, in `timeZone`. */
  time: string;
  /** IANA name, e.g. Europe/Zurich: the local time holds across daylight-saving changes. */
  timeZone: string;
  setBy: string;
  createdAt: number;
}

export type NewNight = Omit<
  MovieNight,
  "state" | "voteUntil" | "winner" | "joinMessage" | "pollMessage"
>;

/**
 * Port: movie nights, their participants, candidates, votes and schedules, and the claims that
 * make each close and each scheduled occurrence run once. Adapters: SqliteMovieNightStore,
 * PostgresMovieNightStore (the same database as the TasteStore, the same migrations folder).
 * Every write is one transaction.
 */
export interface MovieNightStore {
  migrate(): Promise<void>;
  /** Stores a new open night and its named members. */
  create(night: NewNight, named: readonly string[]): Promise<MovieNight>;
  night(id: string): Promise<MovieNight | null>;
  participants(id: string): Promise<Participant[]>;
  /** Adds a member to an open night; `joined` is false when they were in already. Null: not open. */
  join(id: string, user: string, at: number): Promise<{ joined: boolean } | null>;
  /** Moves an open night to voting with its candidates; null when it was not open any more. */
  startVoting(
    id: string,
    candidates: readonly Candidate[],
    voteUntil: number,
  ): Promise<MovieNight | null>;
  /** open/voting → cancelled; null when it was already over. */
  cancel(id: string): Promise<MovieNight | null>;
  /** open → closed without a poll (nobody to recommend for, every film vetoed). */
  closeWithoutPoll(id: string): Promise<MovieNight | null>;
  candidates(id: string): Promise<Candidate[]>;
  /**
   * One vote per member, changeable: the member's row is replaced. Null when the night is not
   * voting or the film is not a candidate. The tally is counted from the rows afterwards.
   */
  vote(id: string, user: string, movieId: number, at: number): Promise<Tally | null>;
  tally(id: string): Promise<Tally>;
  /**
   * voting → closed, with the winner (winnerOf) from the tally at that moment; votes after it are
   * refused. `counted`: the platform's own count (a Discord poll) used instead of the vote rows.
   * Null when the night was not voting (closed already by another worker, cancelled).
   */
  finish(
    id: string,
    counted?: Tally,
  ): Promise<{ night: MovieNight; tally: Tally; candidates: Candidate[] } | null>;
  /** Remembers the platform's message for the join post or the poll. */
  setMessage(id: string, which: "join" | "poll", ref: string): Promise<void>;
  /**
   * Exactly once: inserts the key in a transaction; true for the one caller whose insert made
   * the row, false for every other (another worker, a restarted process) — they do nothing.
   */
  claim(key: string, at: number): Promise<boolean>;
  /** Gives a claim back (its work failed before anything was posted), so a retry can take it. */
  release(key: string): Promise<void>;
  /** Nights still open or voting: after a restart, their timers are set again. */
  pending(): Promise<MovieNight[]>;
  saveSchedule(schedule: NightSchedule): Promise<void>;
  /** Removes a channel's schedule; false when there was none. */
  removeSchedule(id: string): Promise<boolean>;
  schedule(id: string): Promise<NightSchedule | null>;
  /** The schedules of one workspace, or of every workspace. */
  schedules(filter?: { platform: Platform; workspace: string }): Promise<NightSchedule[]>;
  close(): Promise<void>;
}

export type MovieNightErrorCode =
  | "night_not_found"
  | "night_not_open"
  | "night_not_voting"
  | "not_a_candidate"
  | "not_the_starter"
  | "night_over"
  | "all_vetoed"
  | "no_members"
  | "bad_schedule";

/** Something a member did that the night cannot take; the message is written for them. */
export class MovieNightError extends MoviebotError {
  readonly reason: MovieNightErrorCode;
  constructor(reason: MovieNightErrorCode, message: string) {
    super("invalid_input", message);
    this.name = "MovieNightError";
    this.reason = reason;
  }
}

/** The id of a channel's schedule. */
export function scheduleIdOf(platform: Platform, workspace: string, channel: string): string {
  return `${platform}:${workspace}:${channel}`;
}

/** Rows (both engines) back to the model; numbers may arrive as strings from PostgreSQL's BIGINT. */
export function nightFromRow(row: Record<string, unknown>): MovieNight {
  const optionalNumber = (value: unknown) =>
    value === null || value === undefined ? null : Number(value);
  const optionalText = (value: unknown) =>
    value === null || value === undefined ? null : String(value);
  return {
    id: String(row.id),
    platform: String(row.platform) as Platform,
    workspace: String(row.workspace),
    channel: String(row.channel),
    starter: String(row.starter),
    state: String(row.state) as NightState,
    scheduleId: optionalText(row.schedule_id),
    joinUntil: Number(row.join_until),
    voteUntil: optionalNumber(row.vote_until),
    winner: optionalNumber(row.winner),
    joinMessage: optionalText(row.join_message),
    pollMessage: optionalText(row.poll_message),
    createdAt: Number(row.created_at),
  };
}

export function participantFromRow(row: Record<string, unknown>): Participant {
  return {
    user: String(row.user_id),
    how: row.how === "named" ? "named" : "joined",
    at: Number(row.joined_at),
  };
}

export function candidateFromRow(row: Record<string, unknown>): Candidate {
  return {
    movieId: Number(row.movie_id),
    rank: Number(row.rank),
    score: Number(row.score),
    reason: String(row.reason),
  };
}

export function tallyFromRows(rows: readonly Record<string, unknown>[]): Tally {
  return new Map(rows.map((row) => [Number(row.movie_id), Number(row.votes)]));
}

export function scheduleFromRow(row: Record<string, unknown>): NightSchedule {
  return {
    id: String(row.id),
    platform: String(row.platform) as Platform,
    workspace: String(row.workspace),
    channel: String(row.channel),
    weekday: Number(row.weekday),
    time: String(row.local_time),
    timeZone: String(row.time_zone),
    setBy: String(row.set_by),
    createdAt: Number(row.created_at),
  };
}

/** The winner: most votes; a tie goes to the better group score (the lower rank); no votes: rank 1. */
export function winnerOf(candidates: readonly Candidate[], tally: Tally): number | null {
  let best: Candidate | null = null;
  let bestVotes = -1;
  for (const candidate of [...candidates].sort((a, b) => a.rank - b.rank)) {
    const votes = tally.get(candidate.movieId) ?? 0;
    if (votes > bestVotes) {
      best = candidate;
      bestVotes = votes;
    }
  }
  return best?.movieId ?? null;
}
