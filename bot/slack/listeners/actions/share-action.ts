import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { sharedCards } from "../../../chat/share-cards.ts";
import { noticeMessage, sharedMessage } from "../../blocks.ts";
import type { ListenerDeps } from "../listener-deps.ts";

/**
 * "Share to channel": the button carries the short id the private result's cards were kept under;
 * those exact cards go to everyone through the click's own response_url with response_type
 * in_channel (no chat:write scope, and it works in channels the bot was never invited to).
 */
export function shareToChannel(
  deps: ListenerDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ body, action, ack, respond }) => {
    await ack();
    const found = await sharedCards(deps.sharing, action.value ?? "");
    const message =
      found.kind === "found"
        ? {
            response_type: "in_channel" as const,
            replace_original: false,
            ...sharedMessage(found.cards, body.user.id),
          }
        : {
            response_type: "ephemeral" as const,
            replace_original: false,
            ...noticeMessage(found.message),
          };
    await respond(message).catch((error: unknown) =>
      deps.logger.error({ reason: (error as Error).message }, "could not post the shared cards"),
    );
  };
}
