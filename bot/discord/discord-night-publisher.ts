import { DiscordAPIError, type REST } from "@discordjs/rest";
import {
  type APIMessage,
  type RESTGetAPIPollAnswerVotersResult,
  Routes,
} from "discord-api-types/v10";
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
import type { MessagePayload } from "./embeds.ts";
import {
  cancelledText,
  closedPayload,
  joinPayload,
  mention,
  pollPayload,
  postersPayload,
  winnerPayload,
} from "./movienight-messages.ts";
import { NightPostError } from "./night-post-error.ts";

/**
 * Posts movie nights to Discord channels with the bot token (a night outlives the 15-minute
 * interaction token): the join post, the posters, the vote as Discord's native poll, the winner.
 * Discord holds the poll's tally; at the close it is read back (End Poll, then the message's
 * results, or each answer's voters while Discord has not finalised its count).
 */
export class DiscordNightPublisher implements NightPublisher {
  private readonly rest: REST;
  private readonly cards: CardService;
  private readonly logger: Logger;
  private readonly voteHours: number;
  /** The posters message of each night (not stored: only its Cancel button is edited away). */
  private readonly posters = new Map<string, string>();
  /** Nights whose channel was already told what is missing: one notice, not one per step. */
  private readonly reported = new Set<string>();

  constructor(deps: { rest: REST; cards: CardService; logger: Logger; voteHours: number }) {
    this.rest = deps.rest;
    this.cards = deps.cards;
    this.logger = deps.logger;
    this.voteHours = deps.voteHours;
  }

  /** The join post of a night started by hand or by a schedule; returns its message id. */
  async postJoin(view: NightView, schedule: NightSchedule | null = null): Promise<string> {
    const message = await this.send(view.night.channel, joinPayload(view, schedule), "join");
    return message.id;
  }

  async postNight(view: NightView, schedule: NightSchedule): Promise<string | null> {
    try {
      return await this.postJoin(view, schedule);
    } catch (error) {
      await this.report(view.night, error);
      throw error;
    }
  }

  /** Redraws the join post (who is in, who must pick) after a join or a pick. */
  async refreshJoin(view: NightView, schedule: NightSchedule | null): Promise<void> {
    if (!view.night.joinMessage || view.night.state !== "open") return;
    await this.edit(view.night, view.night.joinMessage, joinPayload(view, schedule));
  }

  async postPoll(
    night: MovieNight,
    candidates: readonly Candidate[],
    _tally: Tally,
  ): Promise<string | null> {
    const cards = await this.cardsOf(candidates);
    try {
      if (night.joinMessage) {
        await this.edit(
          night,
          night.joinMessage,
          closedPayload(
            `🎬 Movie night started by ${mention(night.starter)}: the vote is below. 👇`,
          ),
        );
      }
      const posters = await this.send(
        night.channel,
        postersPayload(night, candidates, cards),
        "posters",
      );
      this.posters.set(night.id, posters.id);
      const poll = await this.send(
        night.channel,
        pollPayload(candidates, cards, this.voteHours),
        "poll",
      );
      return poll.id;
    } catch (error) {
      await this.report(night, error);
      throw error;
    }
  }

  /**
   * Discord's count at the close: the poll is ended (a no-op once its hour has passed), then read.
   * Answer n is the n-th candidate by rank, the order the poll was posted in.
   */
  async readTally(night: MovieNight, candidates: readonly Candidate[]): Promise<Tally> {
    const messageId = night.pollMessage;
    // No poll was posted (the channel was told why): nobody could vote.
    if (!messageId) return new Map();
    try {
      await this.rest.post(Routes.expirePoll(night.channel, messageId)).catch((error: unknown) => {
        // Already ended (its duration is the vote's), or ended by hand: the read below decides.
        if (isPermissionError(error)) throw error;
      });
      const message = (await this.rest.get(
        Routes.channelMessage(night.channel, messageId),
      )) as APIMessage;
      const answers = [...(message.poll?.answers ?? [])].sort((a, b) => a.answer_id - b.answer_id);
      const results = message.poll?.results;
      const counts = new Map<number, number>();
      if (results?.is_finalized) {
        for (const count of results.answer_counts) counts.set(count.id, count.count);
      } else {
        // Discord finalises its count shortly after the end; until then its counts may be
        // approximate, but the voters of each answer are exact.
        for (const answer of answers) {
          counts.set(
            answer.answer_id,
            await this.voters(night.channel, messageId, answer.answer_id),
          );
        }
      }
      const ranked = [...candidates].sort((a, b) => a.rank - b.rank);
      const tally: Tally = new Map();
      answers.forEach((answer, i) => {
        const candidate = ranked[i];
        if (candidate) tally.set(candidate.movieId, counts.get(answer.answer_id) ?? 0);
      });
      return tally;
    } catch (error) {
      const failure = NightPostError.from(error, "read");
      await this.report(night, failure);
      throw failure;
    }
  }

  async announce(
    night: MovieNight,
    winner: Candidate,
    tally: Tally,
    candidates: readonly Candidate[],
  ): Promise<void> {
    // Without a poll the channel was told why already; a winner nobody voted for is no news.
    if (!night.pollMessage) return;
    const cards = await this.cardsOf(candidates);
    try {
      await this.send(
        night.channel,
        winnerPayload(winner, cards.get(winner.movieId), tally),
        "winner",
      );
    } catch (error) {
      await this.report(night, error);
      throw error;
    }
    await this.dropCancel(night);
  }

  async noPoll(night: MovieNight, message: string): Promise<void> {
    if (night.joinMessage) {
      await this.edit(
        night,
        night.joinMessage,
        closedPayload(`🎬 Movie night started by ${mention(night.starter)}: joining has closed.`),
      );
    }
    try {
      await this.send(night.channel, closedPayload(`🎬 No vote this time: ${message}`), "notice");
    } catch (error) {
      await this.report(night, error);
      throw error;
    }
  }

  async cancelled(night: MovieNight): Promise<void> {
    const text = cancelledText(night);
    if (night.pollMessage) {
      await this.rest
        .post(Routes.expirePoll(night.channel, night.pollMessage))
        .catch((error: unknown) => this.logEditFailure(error, night));
    }
    for (const id of [night.joinMessage, this.posters.get(night.id)]) {
      if (id) await this.edit(night, id, closedPayload(text));
    }
  }

  /** A plain notice to a channel with the bot token (a schedule set): proves it can post there. */
  async notice(channel: string, text: string): Promise<void> {
    await this.send(channel, closedPayload(text), "notice");
  }

  /** The interaction's own reply, edited through its webhook (no permission needed). */
  async editOriginal(applicationId: string, token: string, body: MessagePayload): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(applicationId, token, "@original"), {
      body,
      auth: false,
    });
  }

  private async send(
    channel: string,
    body: object,
    what: NightPostError["what"],
  ): Promise<APIMessage> {
    try {
      return (await this.rest.post(Routes.channelMessages(channel), { body })) as APIMessage;
    } catch (error) {
      throw NightPostError.from(error, what);
    }
  }

  /** An edit of an earlier post failing is not worth failing the step for. */
  private async edit(night: MovieNight, messageId: string, body: MessagePayload): Promise<void> {
    await this.rest
      .patch(Routes.channelMessage(night.channel, messageId), { body })
      .catch((error: unknown) => this.logEditFailure(error, night));
  }

  private async dropCancel(night: MovieNight): Promise<void> {
    const id = this.posters.get(night.id);
    if (!id) return;
    this.posters.delete(night.id);
    await this.rest
      .patch(Routes.channelMessage(night.channel, id), { body: { components: [] } })
      .catch((error: unknown) => this.logEditFailure(error, night));
  }

  private async voters(channel: string, messageId: string, answerId: number): Promise<number> {
    let count = 0;
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: "100", ...(after ? { after } : {}) });
      const page = (await this.rest.get(Routes.pollAnswerVoters(channel, messageId, answerId), {
        query,
      })) as RESTGetAPIPollAnswerVotersResult;
      count += page.users.length;
      if (page.users.length < 100) return count;
      after = page.users[page.users.length - 1]?.id;
    }
  }

  /**
   * Says plainly what is missing, once per night: in the channel when a plain message still goes
   * through (only Send Polls or Embed Links missing), else to the starter directly.
   */
  private async report(night: MovieNight, error: unknown): Promise<void> {
    if (!(error instanceof NightPostError) || !error.permission) return;
    this.logger.warn(
      { night: night.id, status: error.status, code: error.code, what: error.what },
      "movie night: Discord refused a post",
    );
    if (this.reported.has(night.id)) return;
    this.reported.add(night.id);
    const text = `⚠️ Movie night: ${error.userMessage}`;
    try {
      await this.rest.post(Routes.channelMessages(night.channel), { body: closedPayload(text) });
      return;
    } catch {
      // Not even a plain message: tell whoever started it (or set the schedule).
    }
    try {
      const dm = (await this.rest.post(Routes.userChannels(), {
        body: { recipient_id: night.starter },
      })) as { id: string };
      await this.rest.post(Routes.channelMessages(dm.id), {
        body: closedPayload(`${text} (in <#${night.channel}>)`),
      });
    } catch (dmError) {
      this.logger.warn(
        { night: night.id, reason: (dmError as Error).message },
        "movie night: could not tell anyone what is missing",
      );
    }
  }

  private async cardsOf(candidates: readonly Candidate[]): Promise<Map<number, Card>> {
    const cards = await this.cards.cardsFor(
      candidates.map((c) => ({ movieId: c.movieId, score: c.score, because: [] })),
      "personalized",
    );
    return new Map(cards.map((card) => [card.movieId, card]));
  }

  private logEditFailure(error: unknown, night: MovieNight): void {
    const failure = NightPostError.from(error, "edit");
    this.logger.warn(
      { night: night.id, status: failure.status, code: failure.code },
      "movie night: could not edit an earlier message",
    );
  }
}

function isPermissionError(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.status === 403 || error.status === 401);
}
