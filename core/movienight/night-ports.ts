import type { Platform } from "../members/taste-store.ts";
import type { Candidate, MovieNight, NightSchedule, Participant, Tally } from "./movie-night.ts";

/**
 * The delayed work of a movie night, as plain data: the same in Redis (BullMQ job data) and in
 * the embedded timers. A closed union; runners dispatch with a switch.
 */
export type NightJob =
  | { kind: "close-joining"; nightId: string }
  | { kind: "close-voting"; nightId: string }
  | { kind: "scheduled"; scheduleId: string };

export const NIGHT_JOB_KINDS = ["close-joining", "close-voting", "scheduled"] as const;

/**
 * Port: when the delayed work runs. Adapters: BullmqNightTimers (delayed jobs and job schedulers
 * in Redis, run by any worker) and InProcessNightTimers (setTimeout and cron-parser, restored from
 * the database at start-up). Both may run a job twice (two workers, a restart): the service's
 * state changes and claims make the second run do nothing.
 */
export interface NightTimers {
  /** Runs `job` at `at` (epoch ms), or at once if that has passed. */
  at(job: Exclude<NightJob, { kind: "scheduled" }>, at: number): Promise<void>;
  /** Sets (or replaces) the schedule's weekly trigger. */
  weekly(schedule: NightSchedule): Promise<void>;
  /** Stops the schedule's weekly trigger. */
  stopWeekly(scheduleId: string): Promise<void>;
  close(): Promise<void>;
}

/** What the platform shows of a night: the night, who is in, who still needs a profile. */
export interface NightView {
  night: MovieNight;
  participants: Participant[];
  /** Participants without likes: asked to pick three movies. */
  withoutProfile: string[];
}

/**
 * Port: posts to a channel outside any interaction (a schedule's post, the poll, the winner), with
 * the bot's own token. One adapter per platform; it renders and says what is missing (the bot not
 * in the channel, a permission) by throwing a MovieNightPostError.
 */
export interface NightPublisher {
  /** A scheduled night's join post; returns the platform's message reference. */
  postNight(view: NightView, schedule: NightSchedule): Promise<string | null>;
  /** The poll: the group's films with one vote button each. Returns the message reference. */
  postPoll(
    night: MovieNight,
    candidates: readonly Candidate[],
    tally: Tally,
  ): Promise<string | null>;
  /** The winner, once, with its card. */
  announce(
    night: MovieNight,
    winner: Candidate,
    tally: Tally,
    candidates: readonly Candidate[],
  ): Promise<void>;
  /** Joining closed without a poll: nobody joined, or every film was vetoed. */
  noPoll(night: MovieNight, message: string): Promise<void>;
  /** The night was cancelled by its starter. */
  cancelled(night: MovieNight): Promise<void>;
  /**
   * Where the platform holds the vote (Discord's native poll), the count read from it at the
   * close, one entry per candidate; absent where the votes are our own rows (Slack's buttons).
   * Ties are still broken by the group score: the tally only replaces the rows' count.
   */
  readTally?(night: MovieNight, candidates: readonly Candidate[]): Promise<Tally>;
}

export type NightPublishers = Partial<Record<Platform, NightPublisher>>;
