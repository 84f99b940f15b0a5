import type { types } from "@slack/bolt";
import { z } from "zod";
import type { Card } from "../../core/cards/card.ts";
import { isTasteKind, NO_TASTE, type TasteKind } from "../../core/members/taste-store.ts";
import { clip } from "../chat/chat-shared.ts";
import { LIMITS } from "./block-limits.ts";

/**
 * 👍 / 👎 / Seen it / Watchlist on every card. @slack/types has no `feedback_buttons` or
 * `context_actions` yet, so they are plain buttons in the card's own actions block (beside "More
 * like this": no extra block, so the 50-block budget is unchanged).
 *
 * Slack does not send an ephemeral message's blocks with a click, so each button carries the
 * message's frame (its header and cards, by id and reason) and the click re-draws the whole message
 * with the new state. A button says what the click will do ("on" or "off"): a double click on the
 * same card sets the same state twice, one row; the re-drawn card's button undoes it.
 */
export const TASTE_ACTION_PREFIX = "taste_";
export const TASTE_ACTION = /^taste_(like|dislike|seen|watchlist)$/;

export const TASTE_LABELS: Record<TasteKind, { off: string; on: string }> = {
  like: { off: "👍", on: "👍 Liked" },
  dislike: { off: "👎", on: "👎 Not for me" },
  seen: { off: "Seen it", on: "✓ Seen" },
  watchlist: { off: "Watchlist", on: "✓ On watchlist" },
};

/** What a message needs to be drawn again: its header, whether the picker follows, its cards. */
export interface Frame {
  /** Header text. */
  t: string;
  /** The picker follows the cards ("Picked for you"). */
  p?: boolean;
  /** Cards: [movieId, reason]. */
  c: [number, string][];
}

const frameSchema = z.object({
  t: z.string().max(LIMITS.headerText),
  p: z.boolean().optional(),
  c: z.array(z.tuple([z.number().int().positive(), z.string().max(300)])).max(25),
});

const clickSchema = z.object({
  m: z.number().int().positive(),
  on: z.boolean(),
  f: frameSchema.optional(),
});

export interface TasteClick {
  movieId: number;
  kind: TasteKind;
  on: boolean;
  frame: Frame | null;
}

/** The frame of a message showing these cards; reasons shortened until every button value fits. */
export function frameOf(header: string, cards: readonly Card[], picker = false): Frame | null {
  for (const max of [120, 60, 0]) {
    const frame: Frame = {
      t: clip(header, LIMITS.headerText),
      ...(picker ? { p: true } : {}),
      c: cards.map((c) => [c.movieId, max === 0 ? "" : clip(c.reason, max)]),
    };
    // The longest value is the frame plus the click's own fields.
    if (JSON.stringify({ m: 999_999_999, on: false, f: frame }).length <= LIMITS.buttonValue) {
      return frame;
    }
  }
  return null;
}

/** A row of the four controls per card, under a carousel; the 👍 names the film. */
export function tasteRowBlocks(cards: readonly Card[], frame: Frame | null): types.ActionsBlock[] {
  return cards.map((card, index) => ({
    type: "actions",
    block_id: `taste_${index}_${card.movieId}`,
    elements: tasteButtons(card, frame, clip(card.title, 40)),
  }));
}

/** The four controls of a card in their current state, for the card's actions block. */
export function tasteButtons(card: Card, frame: Frame | null, title?: string): types.Button[] {
  const taste = card.taste ?? NO_TASTE;
  return (Object.keys(TASTE_LABELS) as TasteKind[]).map((kind) => {
    const on = taste[kind];
    const value = JSON.stringify({ m: card.movieId, on: !on, ...(frame ? { f: frame } : {}) });
    return {
      type: "button",
      action_id: `${TASTE_ACTION_PREFIX}${kind}`,
      text: {
        type: "plain_text",
        text: clip(
          kind === "like" && title
            ? `${TASTE_LABELS[kind][on ? "on" : "off"]} ${title}`
            : TASTE_LABELS[kind][on ? "on" : "off"],
          LIMITS.buttonText,
        ),
        emoji: true,
      },
      value,
      ...(on ? { style: "primary" as const } : {}),
    };
  });
}

/** Parses a click on a control; null for anything this app did not write. */
export function parseTasteClick(actionId: string, value: string | undefined): TasteClick | null {
  const kind = TASTE_ACTION.exec(actionId)?.[1];
  if (!isTasteKind(kind) || !value) return null;
  try {
    const parsed = clickSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return null;
    return { movieId: parsed.data.m, kind, on: parsed.data.on, frame: parsed.data.f ?? null };
  } catch {
    return null;
  }
}

/** What the member sees after a click, in words: "Saved: you liked Heat (1995)." */
export function tasteNotice(kind: TasteKind, on: boolean, label: string): string {
  const said: Record<TasteKind, [string, string]> = {
    like: [`👍 Saved: you like ${label}.`, `Removed your 👍 from ${label}.`],
    dislike: [
      `👎 Saved: ${label} is not for you; it won't be recommended again.`,
      `Removed your 👎 from ${label}.`,
    ],
    seen: [
      `Saved: you have seen ${label}; it won't be recommended again.`,
      `${label} is no longer marked as seen.`,
    ],
    watchlist: [`Added ${label} to your watchlist.`, `Removed ${label} from your watchlist.`],
  };
  return said[kind][on ? 0 : 1];
}
