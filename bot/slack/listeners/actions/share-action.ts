import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { MESSAGES } from "../../../chat/chat-shared.ts";
import { noticeMessage } from "../../blocks.ts";
import { decodeShareValue } from "../../slack-ids.ts";
import { jobFor } from "../../slack-jobs.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { interactionOf } from "./picker-actions.ts";

/**
 * "Share to channel": posts the same cards for everyone through the ephemeral message's own
 * response_url with response_type in_channel. Slack does not send an ephemeral message's blocks
 * with the click, so the button carries the request and the job re-renders it; response_url
 * needs no chat:write scope and works in channels the bot was never invited to.
 */
export function shareToChannel(
  deps: ListenerDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ body, action, ack, respond }) => {
    await ack();
    const request = decodeShareValue(action.value);
    if (!request) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage(MESSAGES.staleButton),
      });
      return;
    }
    await deps.submitter.submit(
      jobFor(interactionOf(body), request, { responseType: "in_channel", replaceOriginal: false }),
      respond,
    );
  };
}
