import type { webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Card } from "../../core/cards/card.ts";
import type { CardService } from "../../core/cards/card-service.ts";
import type {
  Candidate,
  MovieNight,
  NightSchedule,
  Tally,
} from "../../core/movienight/movie-night.ts";
import type { NightPublisher, NightView } from "../../core/movienight/night-ports.ts";
import {
  joinClosedMessage,
  joinMessage,
  mention,
  nightNotice,
  pollClosedMessage,
  pollMessage,
  winnerMessage,
} from "./movienight-blocks.ts";

/**
 * What a failed post means for the person who asked, by Slack's error code. A night outlives the
 * interaction that started it, so the bot posts with its own token (`chat:write`) and must be in
 * the channel.
 */
const PROBLEMS: Record<string, string> = {
  not_in_channel:
    "I'm not in this channel, so I can't post the movie night. Invite me with `/invite @moviebot`, then try again.",
  channel_not_found:
    "I can't see this channel (a private channel I'm not in?). Invite me with `/invite @moviebot`, then try again.",
  missing_scope:
    "I'm missing Slack's `chat:write` permission, which movie nights need to post. An admin must reinstall the app from its manifest (docs/slack.md).",
  not_allowed_token_type:
    "My token cannot post messages; an admin must reinstall the app with the bot token (docs/slack.md).",
  is_archived: "This channel is archived, so nobody can post here.",
  restricted_action: "This workspace does not let me post in this channel.",
};

/** A post Slack refused; `userMessage` says what is missing, in words for the channel's members. */
export class NightPostError extends Error {
  readonly slackCode: string;
  readonly userMessage: string;
  constructor(slackCode: string, cause: unknown) {
    super(`Slack refused the movie-night post: ${slackCode}`, { cause });
    this.name = "NightPostError";
    this.slackCode = slackCode;
    this.userMessage =
      PROBLEMS[slackCode] ??
      `Slack refused my movie-night post (${slackCode}). Please try again in a moment.`;
  }
}

/**
 * Posts movie nights to Slack channels with the bot token: the join post, the poll (edited live
 * with `chat.update`), the winner, and the notices. Poll edits are coalesced per night: while
 * one edit is on its way, clicks only mark the poll stale, and one more edit follows with the
 * tally read afresh from the database, so the last edit always shows the final count.
 */
export class SlackNightPublisher implements NightPublisher {
  private readonly client: webApi.WebClient;
  private readonly cards: CardService;
  private readonly logger: Logger;
  private readonly editing = new Map<string, { stale: boolean; done: Promise<void> }>();

  constructor(deps: { client: webApi.WebClient; cards: CardService; logger: Logger }) {
    this.client = deps.client;
    this.cards = deps.cards;
    this.logger = deps.logger;
  }

  /** The join post of a night started by hand or by a schedule; returns its ts. */
  async postJoin(view: NightView, schedule: NightSchedule | null = null): Promise<string | null> {
    const posted = await this.call(() =>
      this.client.chat.postMessage({ channel: view.night.channel, ...joinMessage(view, schedule) }),
    );
    return typeof posted.ts === "string" ? posted.ts : null;
  }

  postNight(view: NightView, schedule: NightSchedule): Promise<string | null> {
    return this.postJoin(view, schedule);
  }

  /** Redraws the join post (who is in) after a join. */
  async refreshJoin(view: NightView, schedule: NightSchedule | null = null): Promise<void> {
    const ts = view.night.joinMessage;
    if (!ts || view.night.state !== "open") return;
    await this.call(() =>
      this.client.chat.update({ channel: view.night.channel, ts, ...joinMessage(view, schedule) }),
    );
  }

  async postPoll(
    night: MovieNight,
    candidates: readonly Candidate[],
    tally: Tally,
  ): Promise<string | null> {
    const cards = await this.cardsOf(candidates);
    await this.editJoin(night, "joining has closed; the vote is below. 👇");
    const posted = await this.call(() =>
      this.client.chat.postMessage({
        channel: night.channel,
        ...pollMessage(night, candidates, cards, tally),
      }),
    );
    return typeof posted.ts === "string" ? posted.ts : null;
  }

  /**
   * Redraws the poll with the tally `read` returns, coalescing concurrent clicks (see the class
   * comment). Resolves once the edit that covers this click is done.
   */
  async refreshPoll(
    night: MovieNight,
    candidates: readonly Candidate[],
    read: () => Promise<Tally>,
  ): Promise<void> {
    const ts = night.pollMessage;
    if (!ts) return;
    const current = this.editing.get(night.id);
    if (current) {
      current.stale = true;
      return current.done;
    }
    const entry = { stale: true, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        const cards = await this.cardsOf(candidates);
        while (entry.stale) {
          entry.stale = false;
          const tally = await read();
          await this.call(() =>
            this.client.chat.update({
              channel: night.channel,
              ts,
              ...pollMessage(night, candidates, cards, tally),
            }),
          );
        }
      } finally {
        this.editing.delete(night.id);
      }
    })();
    this.editing.set(night.id, entry);
    return entry.done;
  }

  async announce(
    night: MovieNight,
    winner: Candidate,
    tally: Tally,
    candidates: readonly Candidate[],
  ): Promise<void> {
    const cards = await this.cardsOf(candidates);
    const card = cards.get(winner.movieId);
    await this.call(() =>
      this.client.chat.postMessage({
        channel: night.channel,
        ...winnerMessage(winner, card, tally),
      }),
    );
    if (night.pollMessage) {
      const ts = night.pollMessage;
      await this.call(() =>
        this.client.chat.update({
          channel: night.channel,
          ts,
          ...pollClosedMessage(candidates, cards, tally, "🗳️ *Voting has closed.* Final count:"),
        }),
      ).catch((error: unknown) => this.logEditFailure(error, night));
    }
  }

  async noPoll(night: MovieNight, message: string): Promise<void> {
    await this.editJoin(night, "joining has closed.");
    await this.call(() =>
      this.client.chat.postMessage({
        channel: night.channel,
        ...nightNotice(`🎬 No vote this time: ${message}`),
      }),
    );
  }

  async cancelled(night: MovieNight): Promise<void> {
    const text = `🎬 This movie night was cancelled by ${mention(night.starter)}.`;
    for (const ts of [night.joinMessage, night.pollMessage]) {
      if (!ts) continue;
      await this.call(() =>
        this.client.chat.update({ channel: night.channel, ts, ...nightNotice(text) }),
      ).catch((error: unknown) => this.logEditFailure(error, night));
    }
  }

  /** A plain notice to a channel (a schedule set), with the bot token. */
  async notice(channel: string, text: string): Promise<void> {
    await this.call(() => this.client.chat.postMessage({ channel, ...nightNotice(text) }));
  }

  private async editJoin(night: MovieNight, how: string): Promise<void> {
    const ts = night.joinMessage;
    if (!ts) return;
    await this.call(() =>
      this.client.chat.update({ channel: night.channel, ts, ...joinClosedMessage(night, how) }),
    ).catch((error: unknown) => this.logEditFailure(error, night));
  }

  private async cardsOf(candidates: readonly Candidate[]): Promise<Map<number, Card>> {
    const cards = await this.cards.cardsFor(
      candidates.map((c) => ({ movieId: c.movieId, score: c.score, because: [] })),
      "personalized",
    );
    return new Map(cards.map((card) => [card.movieId, card]));
  }

  /** A Web API call whose refusal becomes a NightPostError naming what is missing. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      if (typeof code === "string") throw new NightPostError(code, error);
      throw error;
    }
  }

  /** An edit of an older message failing is not worth failing the step for. */
  private logEditFailure(error: unknown, night: MovieNight): void {
    this.logger.warn(
      { night: night.id, reason: (error as Error).message },
      "movie night: could not edit an earlier message",
    );
  }
}
