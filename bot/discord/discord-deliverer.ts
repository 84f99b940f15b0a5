import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { JobResult, ReplyDeliverer, ReplyTarget } from "../../core/jobs/job.ts";
import { type Sharing, shareIdFor } from "../chat/share-cards.ts";
import { deliveryErrorFromRest } from "./delivery-errors.ts";
import { type MessagePayload, renderNotice, renderResult, renderWithShare } from "./embeds.ts";

export type DiscordTarget = Extract<ReplyTarget, { platform: "discord" }>;

/**
 * Delivers a deferred reply by editing the interaction's original response (the "thinking…"
 * message) through its webhook. Failures are thrown as the core TransientDeliveryError or
 * PermanentDeliveryError (targetGone once the interaction token has expired) so a queue can decide
 * whether to retry.
 */
export class DiscordDeliverer implements ReplyDeliverer<DiscordTarget> {
  private readonly rest: REST;
  private readonly sharing: Sharing | undefined;

  /** `sharing`: where a private result's cards are kept for "Share to channel"; absent: no button. */
  constructor(options: { rest: REST; sharing?: Sharing }) {
    this.rest = options.rest;
    this.sharing = options.sharing;
  }

  async deliver(target: DiscordTarget, result: JobResult): Promise<void> {
    const message = target.ephemeral
      ? await renderWithShare(result, (shown) => shareIdFor(this.sharing, shown))
      : renderResult(result, { shareId: null });
    await this.editOriginal(target, message);
  }

  async apologize(target: DiscordTarget, message: string): Promise<void> {
    await this.editOriginal(target, renderNotice(message));
  }

  /** Replaces the deferred message with `body` (a movie night's answer). */
  show(target: DiscordTarget, body: MessagePayload): Promise<void> {
    return this.editOriginal(target, body);
  }

  private async editOriginal(target: DiscordTarget, body: MessagePayload): Promise<void> {
    try {
      // The webhook route is authorised by the interaction token in its path, not the bot token.
      await this.rest.patch(
        Routes.webhookMessage(target.applicationId, target.interactionToken, "@original"),
        { body, auth: false },
      );
    } catch (error) {
      throw deliveryErrorFromRest(error);
    }
  }
}
