import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { cardLabel } from "../../../chat/chat-shared.ts";
import { framedMessage, noticeMessage } from "../../blocks.ts";
import { type Frame, parseTasteClick, tasteNotice } from "../../feedback-blocks.ts";
import { memberOfAction } from "../../slack-member.ts";
import type { ListenerDeps } from "../listener-deps.ts";

const NOT_SAVED = "Sorry, I couldn't save that just now. Please try again in a moment.";

/**
 * 👍 / 👎 / Seen it / Watchlist on a card. The click is stored (one transaction, idempotent), then
 * shown: a private message is drawn again with the card's new state; on a message the whole
 * channel sees, the clicker alone gets the card with its new state, so no one's taste is public.
 */
export function tasteAction(
  deps: ListenerDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ body, action, ack, respond }) => {
    await ack();
    const click = parseTasteClick(action.action_id, action.value);
    const member = memberOfAction(body);
    const movie = click ? deps.cards.movie(click.movieId) : undefined;
    if (!click || !member || !movie) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage("That button is out of date; run /recommend again."),
      });
      return;
    }
    try {
      await deps.taste.mark(member, click.movieId, click.kind, click.on);
    } catch (error) {
      deps.logger.warn(
        { reason: (error as Error).message, kind: click.kind },
        "click not saved: member database failed",
      );
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage(NOT_SAVED),
      });
      return;
    }
    const label = cardLabel(movie);
    const ephemeral = body.container?.is_ephemeral === true;
    if (ephemeral && click.frame) {
      const message = await redraw(deps, click.frame, member);
      await respond({ replace_original: true, ...message });
      return;
    }
    const reason = click.frame?.c.find(([id]) => id === click.movieId)?.[1] ?? "";
    const single: Frame = {
      t: tasteNotice(click.kind, click.on, label).slice(0, 150),
      c: [[click.movieId, reason]],
    };
    await respond({
      response_type: "ephemeral",
      replace_original: ephemeral,
      ...(await redraw(deps, single, member)),
    });
  };
}

async function redraw(
  deps: ListenerDeps,
  frame: Frame,
  member: Parameters<ListenerDeps["taste"]["mark"]>[0],
) {
  const cards = await deps.cards.cardsFor(
    frame.c.map(([movieId]) => ({ movieId, score: 0, because: [] })),
    "personalized",
    member,
  );
  const reasons = new Map(frame.c);
  return framedMessage(
    frame,
    cards.map((card) => ({ ...card, reason: reasons.get(card.movieId) || card.reason })),
  );
}
