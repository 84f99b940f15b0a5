import type { Logger } from "pino";
import type { Card } from "../../core/cards/card.ts";
import type { SharedCardsStore } from "../../core/cards/shared-cards-store.ts";
import { MESSAGES } from "../../core/messages.ts";

/**
 * "Share to channel", one way on Slack and on Discord: the cards a member is shown privately are
 * kept under a short id (SharedCardsStore), the button carries the id, and a click posts exactly
 * those cards for everyone.
 */
export interface Sharing {
  store: SharedCardsStore;
  logger: Logger;
}

/**
 * Keeps the cards a private result shows and answers the id for its Share button; null (no
 * button) when there is nothing to share or the store cannot keep them: the result still goes out.
 */
export async function shareIdFor(
  sharing: Sharing | undefined,
  shown: readonly Card[],
): Promise<string | null> {
  if (!sharing || shown.length === 0) return null;
  try {
    // The asker's 👍 / 👎 marks stay theirs: the channel gets the films, not the member's taste.
    return await sharing.store.keep(shown.map(({ taste: _taste, ...card }) => card));
  } catch (error) {
    sharing.logger.warn(
      { reason: (error as Error).message },
      "could not keep the cards for sharing; the result goes out without a Share button",
    );
    return null;
  }
}

export type SharedLookup = { kind: "found"; cards: Card[] } | { kind: "gone"; message: string };

/** The cards behind a Share click, or what to tell the clicker when there are none. */
export async function sharedCards(sharing: Sharing, id: string): Promise<SharedLookup> {
  try {
    const cards = await sharing.store.find(id);
    return cards && cards.length > 0
      ? { kind: "found", cards }
      : { kind: "gone", message: MESSAGES.shareExpired };
  } catch (error) {
    sharing.logger.error({ reason: (error as Error).message }, "could not read shared cards");
    return { kind: "gone", message: MESSAGES.shareFailed };
  }
}
