import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { JobResult, ReplyDeliverer, ReplyTarget } from "../../core/jobs/job.ts";
import { deliveryErrorFromRest } from "./delivery-errors.ts";
import { type MessagePayload, renderNotice, renderResult } from "./embeds.ts";

export type DiscordTarget = Extract<ReplyTarget, { platform: "discord" }>;

/**
 * Delivers a deferred reply by editing the interaction's original response (the "thinking…"
 * message) through its webhook. Failures are thrown as the core TransientDeliveryError or
 * PermanentDeliveryError (targetGone once the interaction token has expired) so a queue can decide
 * whether to retry.
 */
export class DiscordDeliverer implements ReplyDeliverer<DiscordTarget> {
  private readonly rest: REST;

  constructor(options: { rest: REST }) {
    this.rest = options.rest;
  }

  async deliver(target: DiscordTarget, result: JobResult): Promise<void> {
    await this.editOriginal(target, renderResult(result, { ephemeral: target.ephemeral }));
  }

  async apologize(target: DiscordTarget, message: string): Promise<void> {
    await this.editOriginal(target, renderNotice(message));
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
