import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIInteraction,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
} from "discord-api-types/v10";
import express, { type Router } from "express";
import { methodNotAllowed, sendError } from "../http/http-errors.ts";
import { sendJson } from "../http/send-json.ts";
import { DiscordDeliverer } from "./discord-deliverer.ts";
import type { DiscordTransportDeps } from "./gateway-transport.ts";
import { DiscordInteractionHandler, type InteractionOutcome } from "./interaction-handler.ts";
import {
  type DiscordInput,
  flattenOptions,
  type InteractionMeta,
  type OptionLike,
  optionRecord,
} from "./interaction-input.ts";
import { createDiscordRest } from "./rest-client.ts";
import { discordPublicKey, timestampProblem, verifyDiscordSignature } from "./signature.ts";

export interface DiscordRouterDeps extends DiscordTransportDeps {
  applicationId: string;
  /** DISCORD_PUBLIC_KEY, hex. */
  publicKey: string;
}

export const INTERACTIONS_PATH = "/discord/interactions";

/**
 * Discord's HTTP interactions endpoint. Parses its own raw body (the signature covers the exact
 * bytes), rejects anything unsigned with 401 before looking at it, answers PING, and hands the
 * rest to the interaction handler. Work after a deferral starts once the response is flushed.
 */
export function createDiscordRouter(deps: DiscordRouterDeps): Router {
  const key = discordPublicKey(deps.publicKey);
  const rest = createDiscordRest({ botToken: deps.botToken, apiUrl: deps.apiUrl });
  const handler = new DiscordInteractionHandler({
    cards: deps.cards,
    search: deps.search,
    jobs: deps.jobs,
    shared: deps.shared,
    taste: deps.taste,
    logger: deps.logger,
    fallback: new DiscordDeliverer({ rest }),
    budgets: deps.budgets,
    refreshMinutes: deps.refreshMinutes,
    ...(deps.movienight ? { movienight: deps.movienight } : {}),
  });
  const logger = deps.logger.child({ transport: "discord-http" });

  const router = express.Router();
  router.post(
    INTERACTIONS_PATH,
    // Discord's interactions are a few KB; inflate: false because the signature covers the bytes sent.
    express.raw({ type: () => true, limit: "256kb", inflate: false }),
    async (req, res) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verified = await verifyDiscordSignature(
        key,
        req.get("x-signature-ed25519"),
        req.get("x-signature-timestamp"),
        body,
      );
      if (!verified) {
        sendError(res, 401, "bad_signature", "invalid request signature");
        return;
      }
      const stale = timestampProblem(req.get("x-signature-timestamp"));
      if (stale) {
        sendError(res, 401, "stale_timestamp", stale);
        return;
      }
      let interaction: APIInteraction | { type: InteractionType.Ping };
      try {
        interaction = JSON.parse(body.toString("utf8"));
      } catch {
        sendError(res, 400, "malformed_body", "body is not JSON");
        return;
      }
      // Signed `null`, `[]` or `"x"` is JSON but no interaction.
      if (typeof interaction !== "object" || interaction === null || Array.isArray(interaction)) {
        sendError(res, 400, "malformed_body", "body is not an interaction object");
        return;
      }
      if (interaction.type === InteractionType.Ping) {
        sendJson(res, { type: InteractionResponseType.Pong });
        return;
      }
      let input: DiscordInput;
      try {
        input = fromApiInteraction(interaction as APIInteraction, Date.now());
      } catch {
        sendError(res, 400, "malformed_body", "not an interaction");
        return;
      }
      const outcome: InteractionOutcome = await handler.handle(input);
      const after = outcome.afterResponse;
      if (after) {
        res.once("finish", () => {
          after().catch((error: unknown) => {
            logger.error(
              { err: error, interactionId: input.meta.id },
              "after-response work failed",
            );
          });
        });
      }
      sendJson(res, outcome.response);
    },
  );
  router.all(INTERACTIONS_PATH, methodNotAllowed("POST"));
  return router;
}

/** Adapts the JSON Discord POSTs to the interactions endpoint. PING is answered before this. */
export function fromApiInteraction(raw: APIInteraction, receivedAt: number): DiscordInput {
  const meta: InteractionMeta = {
    id: raw.id,
    token: raw.token,
    applicationId: raw.application_id,
    userId: raw.member?.user.id ?? raw.user?.id ?? null,
    guildId: raw.guild_id ?? null,
    channelId: raw.channel?.id ?? raw.channel_id ?? null,
    locale: "locale" in raw ? (raw.locale ?? null) : null,
    receivedAt,
  };
  switch (raw.type) {
    case InteractionType.ApplicationCommand: {
      const data = raw.data;
      const options =
        "options" in data ? flattenOptions(data.options as readonly OptionLike[] | undefined) : [];
      return { kind: "command", meta, command: data.name, options: optionRecord(options) };
    }
    case InteractionType.ApplicationCommandAutocomplete: {
      const options = flattenOptions(raw.data.options as readonly OptionLike[]);
      const focused = options.find((o) => o.focused) ?? { name: "", value: "" };
      return {
        kind: "autocomplete",
        meta,
        command: raw.data.name,
        options: optionRecord(options),
        focused: { name: focused.name, value: focused.value },
      };
    }
    case InteractionType.MessageComponent:
      return {
        kind: "component",
        meta,
        customId: raw.data.custom_id,
        values: raw.data.component_type === ComponentType.StringSelect ? raw.data.values : [],
        messageComponents: (raw.message?.components ??
          []) as APIActionRowComponent<APIComponentInMessageActionRow>[],
        messageEphemeral: ((raw.message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      };
    default:
      return { kind: "unsupported", meta, type: raw.type };
  }
}
