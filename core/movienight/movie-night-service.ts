import { randomUUID } from "node:crypto";
import { profileOf } from "../members/taste-profile.ts";
import { memberId, type Platform, type TasteStore } from "../members/taste-store.ts";
import type { GroupMember, GroupRecommender } from "./group-recommender.ts";
import {
  type Candidate,
  type MovieNight,
  MovieNightError,
  type MovieNightStore,
  type NightSchedule,
  scheduleIdOf,
  type Tally,
} from "./movie-night.ts";
import type {
  NightJob,
  NightPublisher,
  NightPublishers,
  NightTimers,
  NightView,
} from "./night-ports.ts";
import { occurrenceAtOrBefore, type WeeklyTime } from "./weekly-schedule.ts";

/** The poll's length. */
export const POLL_SIZE = 5;

/** Likes a member without a profile is asked for before a night: enough for the group to score from. */
export const NIGHT_PICKS = 3;

export interface MovieNightSettings {
  /** MOVIENIGHT_JOIN_MINUTES. */
  joinMinutes: number;
  /** MOVIENIGHT_VOTE_HOURS. */
  voteHours: number;
}

export interface MovieNightDeps {
  store: MovieNightStore;
  taste: TasteStore;
  group: GroupRecommender;
  timers: NightTimers;
  publishers: NightPublishers;
  settings: MovieNightSettings;
  /** How reasons name a member per platform (Slack and Discord: a mention); default the user id. */
  labels?: Partial<Record<Platform, (user: string) => string>>;
  now?: () => number;
}

export interface StartNight {
  platform: Platform;
  workspace: string;
  channel: string;
  starter: string;
  /** Members the starter named; the starter takes part too. */
  named: readonly string[];
}

/**
 * Movie nights, platform-neutral: the chat adapters call start/join/cancel/vote and render what
 * comes back; the timers call run() for the closes and the weekly posts; publishers post to the
 * channel when no interaction is at hand. Every step that must happen once is a transactional
 * state change (open → voting, voting → closed) or a claim row (a schedule's occurrence), so two
 * workers, or a restart, never post twice.
 */
export class MovieNightService {
  private readonly deps: MovieNightDeps;
  private readonly now: () => number;

  constructor(deps: MovieNightDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  get settings(): MovieNightSettings {
    return this.deps.settings;
  }

  /** Starts a night in a channel: the starter and the named members are in; joining is open. */
  async start(input: StartNight, scheduleId: string | null = null): Promise<NightView> {
    const at = this.now();
    const night = await this.deps.store.create(
      {
        id: randomUUID(),
        platform: input.platform,
        workspace: input.workspace,
        channel: input.channel,
        starter: input.starter,
        scheduleId,
        joinUntil: at + this.deps.settings.joinMinutes * 60_000,
        createdAt: at,
      },
      // A scheduled night's starter (whoever set the schedule) is not signed up by it.
      scheduleId ? input.named : [input.starter, ...input.named],
    );
    await this.deps.timers.at({ kind: "close-joining", nightId: night.id }, night.joinUntil);
    return this.view(night);
  }

  /** The night as the platform shows it. */
  async view(night: MovieNight): Promise<NightView> {
    const participants = await this.deps.store.participants(night.id);
    const withoutProfile: string[] = [];
    for (const p of participants) {
      if (!(await this.hasProfile(night, p.user))) withoutProfile.push(p.user);
    }
    return { night, participants, withoutProfile };
  }

  async night(id: string): Promise<MovieNight> {
    const night = await this.deps.store.night(id);
    if (!night) throw new MovieNightError("night_not_found", "That movie night no longer exists.");
    return night;
  }

  /** "I'm in": idempotent; says whether the member still needs to pick three movies. */
  async join(
    nightId: string,
    user: string,
  ): Promise<{ view: NightView; joined: boolean; hasProfile: boolean }> {
    const night = await this.night(nightId);
    const result = await this.deps.store.join(nightId, user, this.now());
    if (!result) {
      throw new MovieNightError(
        "night_not_open",
        night.state === "cancelled"
          ? "This movie night was cancelled."
          : "Joining has closed for this movie night.",
      );
    }
    const view = await this.view(night);
    return { view, joined: result.joined, hasProfile: !view.withoutProfile.includes(user) };
  }

  /** Only the starter may cancel, while joining or voting. */
  async cancel(nightId: string, user: string): Promise<MovieNight> {
    const night = await this.night(nightId);
    if (night.starter !== user) {
      throw new MovieNightError(
        "not_the_starter",
        "Only whoever started this movie night can cancel it.",
      );
    }
    const cancelled = await this.deps.store.cancel(nightId);
    if (!cancelled) throw new MovieNightError("night_over", "This movie night is already over.");
    return cancelled;
  }

  /** One vote per member, changeable; the tally counted from the rows. */
  async vote(
    nightId: string,
    user: string,
    movieId: number,
  ): Promise<{ night: MovieNight; tally: Tally; candidates: Candidate[] }> {
    const night = await this.night(nightId);
    const tally = await this.deps.store.vote(nightId, user, movieId, this.now());
    if (!tally) {
      if (night.state !== "voting" || (await this.night(nightId)).state !== "voting") {
        throw new MovieNightError("night_not_voting", "Voting has closed for this movie night.");
      }
      throw new MovieNightError("not_a_candidate", "That film is not on this poll.");
    }
    return { night, tally, candidates: await this.deps.store.candidates(nightId) };
  }

  /** The live tally, counted from the vote rows. */
  tally(nightId: string): Promise<Tally> {
    return this.deps.store.tally(nightId);
  }

  candidates(nightId: string): Promise<Candidate[]> {
    return this.deps.store.candidates(nightId);
  }

  /** Remembers the platform's reference to a night's join post or poll (for later edits). */
  rememberMessage(nightId: string, which: "join" | "poll", ref: string): Promise<void> {
    return this.deps.store.setMessage(nightId, which, ref);
  }

  /** The schedule that posted a night, if any (its post names who set it). */
  async scheduleOf(night: MovieNight): Promise<NightSchedule | null> {
    return night.scheduleId ? this.deps.store.schedule(night.scheduleId) : null;
  }

  /** What a timer runs; each is safe to run twice. */
  async run(job: NightJob, firedAt: number = this.now()): Promise<void> {
    switch (job.kind) {
      case "close-joining":
        await this.closeJoining(job.nightId);
        return;
      case "close-voting":
        await this.closeVoting(job.nightId);
        return;
      case "scheduled":
        await this.runOccurrence(job.scheduleId, firedAt);
        return;
    }
  }

  /**
   * Joining closes: the group's five films are posted as a poll. The open → voting change is the
   * claim (one transaction changes the row; a second worker finds it voting and stops).
   */
  async closeJoining(nightId: string): Promise<Candidate[] | null> {
    const night = await this.deps.store.night(nightId);
    if (night?.state === "voting" && night.pollMessage === null) {
      // A retry after the poll could not be posted (Slack down, say): post it now, still once.
      const candidates = await this.deps.store.candidates(nightId);
      return (await this.postPollOnce(night, candidates)) ? candidates : null;
    }
    if (night?.state !== "open") return null;
    const publisher = this.publisher(night.platform);
    let candidates: Candidate[];
    try {
      candidates = await this.recommendFor(night);
    } catch (error) {
      if (!(error instanceof MovieNightError)) throw error;
      const closed = await this.deps.store.closeWithoutPoll(nightId);
      if (closed) await publisher?.noPoll(closed, error.message);
      return null;
    }
    const voteUntil = this.now() + this.deps.settings.voteHours * 3_600_000;
    const voting = await this.deps.store.startVoting(nightId, candidates, voteUntil);
    if (!voting) return null;
    await this.deps.timers.at({ kind: "close-voting", nightId }, voteUntil);
    await this.postPollOnce(voting, candidates);
    return candidates;
  }

  private postPollOnce(night: MovieNight, candidates: Candidate[]): Promise<boolean> {
    return this.once(`poll:${night.id}`, async () => {
      const ref = await this.publisher(night.platform)?.postPoll(night, candidates, new Map());
      if (ref) await this.deps.store.setMessage(night.id, "poll", ref);
    });
  }

  /**
   * Runs `work` for the one caller whose claim row is new. If the work fails (nothing was posted)
   * the claim is given back and the error goes on, so the job's retry can post it: each post is
   * made at most once, and a post the platform refused is tried again. True when this call ran it.
   */
  private async once(key: string, work: () => Promise<void>): Promise<boolean> {
    if (!(await this.deps.store.claim(key, this.now()))) return false;
    try {
      await work();
      return true;
    } catch (error) {
      await this.deps.store.release(key).catch(() => {});
      throw error;
    }
  }

  /** The group's candidates for a night's participants (throws all_vetoed / no_members). */
  async recommendFor(night: MovieNight): Promise<Candidate[]> {
    const participants = await this.deps.store.participants(night.id);
    const label = this.deps.labels?.[night.platform] ?? ((user: string) => user);
    const members: GroupMember[] = [];
    for (const p of participants) {
      const entries = await this.deps.taste.entries(
        memberId(night.platform, night.workspace, p.user),
      );
      members.push({ id: p.user, label: label(p.user), profile: profileOf(entries) });
    }
    const picks = await this.deps.group.recommend(members, POLL_SIZE);
    return picks.map((pick, i) => ({
      movieId: pick.movieId,
      rank: i + 1,
      score: pick.score,
      reason: pick.reason,
    }));
  }

  /** Voting closes: the winner announced once (voting → closed is the claim). */
  async closeVoting(nightId: string): Promise<number | null> {
    const current = await this.deps.store.night(nightId);
    if (current?.state === "closed" && current.winner !== null && current.voteUntil !== null) {
      // A retry after the winner could not be announced: announce now, still once. Null when
      // there was nothing left to do (announced already), as for any second run.
      return (await this.announceOnce(current, () => this.countOf(current)))
        ? current.winner
        : null;
    }
    if (current?.state !== "voting") return null;
    // Where the platform holds the vote (a Discord poll) its count decides; reading it before the
    // claim means a second worker may read it too, but only one finish() closes the night.
    const publisher = this.publisher(current.platform);
    const counted = publisher?.readTally
      ? await publisher.readTally(current, await this.deps.store.candidates(nightId))
      : undefined;
    const finished = await this.deps.store.finish(nightId, counted);
    if (!finished) return null;
    const { night, tally, candidates } = finished;
    await this.announceOnce(night, async () => ({ tally, candidates }));
    return night.winner;
  }

  private announceOnce(
    night: MovieNight,
    count: () => Promise<{ tally: Tally; candidates: Candidate[] }>,
  ): Promise<boolean> {
    return this.once(`announce:${night.id}`, async () => {
      const { tally, candidates } = await count();
      const winner = candidates.find((c) => c.movieId === night.winner);
      if (winner) await this.publisher(night.platform)?.announce(night, winner, tally, candidates);
    });
  }

  /** The count of a closed night, again: the platform's (a Discord poll) or the vote rows. */
  private async countOf(night: MovieNight): Promise<{ tally: Tally; candidates: Candidate[] }> {
    const candidates = await this.deps.store.candidates(night.id);
    const publisher = this.publisher(night.platform);
    const tally = publisher?.readTally
      ? await publisher.readTally(night, candidates)
      : await this.deps.store.tally(night.id);
    return { tally, candidates };
  }

  /** Sets (or replaces) the channel's weekly movie night. */
  async setSchedule(
    where: { platform: Platform; workspace: string; channel: string },
    when: WeeklyTime,
    setBy: string,
  ): Promise<NightSchedule> {
    const schedule: NightSchedule = {
      id: scheduleIdOf(where.platform, where.workspace, where.channel),
      ...where,
      weekday: when.weekday,
      time: when.time,
      timeZone: when.timeZone,
      setBy,
      createdAt: this.now(),
    };
    await this.deps.store.saveSchedule(schedule);
    await this.deps.timers.weekly(schedule);
    return schedule;
  }

  async removeSchedule(where: {
    platform: Platform;
    workspace: string;
    channel: string;
  }): Promise<boolean> {
    const id = scheduleIdOf(where.platform, where.workspace, where.channel);
    await this.deps.timers.stopWeekly(id);
    return this.deps.store.removeSchedule(id);
  }

  schedules(platform: Platform, workspace: string): Promise<NightSchedule[]> {
    return this.deps.store.schedules({ platform, workspace });
  }

  /**
   * A weekly trigger fired at `firedAt`: the occurrence it belongs to is claimed (one row per
   * schedule and occurrence), and only the claimant posts the night.
   */
  async runOccurrence(scheduleId: string, firedAt: number): Promise<NightView | null> {
    const schedule = await this.deps.store.schedule(scheduleId);
    if (!schedule) return null;
    const occurrence = occurrenceAtOrBefore(schedule, firedAt);
    const key = `schedule:${scheduleId}:${new Date(occurrence).toISOString()}`;
    if (!(await this.deps.store.claim(key, this.now()))) return null;
    const view = await this.start(
      {
        platform: schedule.platform,
        workspace: schedule.workspace,
        channel: schedule.channel,
        starter: schedule.setBy,
        named: [],
      },
      schedule.id,
    );
    const ref = await this.publisher(schedule.platform)?.postNight(view, schedule);
    if (ref) await this.deps.store.setMessage(view.night.id, "join", ref);
    return view;
  }

  /** After a restart: every pending night's close and every schedule's trigger set again. */
  async restore(): Promise<void> {
    for (const night of await this.deps.store.pending()) {
      if (night.state === "open") {
        await this.deps.timers.at({ kind: "close-joining", nightId: night.id }, night.joinUntil);
      } else if (night.voteUntil !== null) {
        await this.deps.timers.at({ kind: "close-voting", nightId: night.id }, night.voteUntil);
      }
    }
    for (const schedule of await this.deps.store.schedules())
      await this.deps.timers.weekly(schedule);
  }

  private publisher(platform: Platform): NightPublisher | undefined {
    return this.deps.publishers[platform];
  }

  private async hasProfile(night: MovieNight, user: string): Promise<boolean> {
    const entries = await this.deps.taste.entries(memberId(night.platform, night.workspace, user));
    return entries.some((e) => e.kind === "like");
  }
}
