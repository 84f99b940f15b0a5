import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import { forgottenNotice } from "../../core/members/member-export.ts";
import type { MemberId, TasteStore } from "../../core/members/taste-store.ts";
import {
  FORGET_CANCEL_ID,
  FORGET_CONFIRM_ID,
  WATCHLIST_REMOVE_PREFIX,
  watchlistPayload,
} from "./commands/member-commands.ts";
import { type MessagePayload, renderNotice } from "./embeds.ts";
import type { InteractionOutcome } from "./interaction-handler.ts";

const NO_MEMORY = "Sorry, I couldn't reach my memory just now. Please try again in a moment.";

/**
 * Clicks on the watchlist's ✕ buttons and on "Forget me" / "Cancel". Each redraws the private
 * message it sits on. Null when the click is not one of these.
 */
export async function memberClick(
  customId: string,
  member: MemberId | undefined,
  deps: { cards: CardService; taste: TasteStore; logger: Logger; refreshMinutes: number | null },
): Promise<InteractionOutcome | null> {
  const removal = customId.startsWith(WATCHLIST_REMOVE_PREFIX)
    ? Number(customId.slice(WATCHLIST_REMOVE_PREFIX.length))
    : null;
  if (removal === null && customId !== FORGET_CONFIRM_ID && customId !== FORGET_CANCEL_ID) {
    return null;
  }
  if (customId === FORGET_CANCEL_ID) return update(renderNotice("Nothing was deleted."));
  if (!member) return update(renderNotice("I can't tell who you are here."));
  try {
    if (removal !== null) {
      if (!Number.isInteger(removal) || removal <= 0) return null;
      await deps.taste.mark(member, removal, "watchlist", false);
      return update(await watchlistPayload(deps.cards, deps.taste, member));
    }
    const rows = await deps.taste.forget(member);
    deps.logger.info({ rows }, "member forgotten");
    return update(renderNotice(forgottenNotice(rows, deps.refreshMinutes)));
  } catch (error) {
    deps.logger.warn({ reason: (error as Error).message }, "member click not saved");
    return {
      response: {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { ...renderNotice(NO_MEMORY), flags: MessageFlags.Ephemeral },
      },
    };
  }
}

function update(message: MessagePayload): InteractionOutcome {
  return { response: { type: InteractionResponseType.UpdateMessage, data: message } };
}
