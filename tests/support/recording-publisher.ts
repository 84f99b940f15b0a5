import type {
  Candidate,
  MovieNight,
  NightSchedule,
  Tally,
} from "../../core/movienight/movie-night.ts";
import type { NightPublisher, NightView } from "../../core/movienight/night-ports.ts";

export type Published =
  | { what: "night"; nightId: string; scheduleId: string; withoutProfile: string[] }
  | { what: "poll"; nightId: string; movies: number[] }
  | { what: "winner"; nightId: string; movieId: number; votes: number }
  | { what: "no-poll"; nightId: string; message: string }
  | { what: "cancelled"; nightId: string };

/** A NightPublisher that writes down what it was asked to post (several services may share one). */
export class RecordingPublisher implements NightPublisher {
  readonly posts: Published[] = [];

  async postNight(view: NightView, schedule: NightSchedule): Promise<string | null> {
    this.posts.push({
      what: "night",
      nightId: view.night.id,
      scheduleId: schedule.id,
      withoutProfile: view.withoutProfile,
    });
    return `ts-night-${this.posts.length}`;
  }
  async postPoll(night: MovieNight, candidates: readonly Candidate[]): Promise<string | null> {
    this.posts.push({ what: "poll", nightId: night.id, movies: candidates.map((c) => c.movieId) });
    return `ts-poll-${this.posts.length}`;
  }
  async announce(night: MovieNight, winner: Candidate, tally: Tally): Promise<void> {
    this.posts.push({
      what: "winner",
      nightId: night.id,
      movieId: winner.movieId,
      votes: tally.get(winner.movieId) ?? 0,
    });
  }
  async noPoll(night: MovieNight, message: string): Promise<void> {
    this.posts.push({ what: "no-poll", nightId: night.id, message });
  }
  async cancelled(night: MovieNight): Promise<void> {
    this.posts.push({ what: "cancelled", nightId: night.id });
  }

  of(what: Published["what"]): Published[] {
    return this.posts.filter((p) => p.what === what);
  }
}
