import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Card } from "../../core/cards/card.ts";
import {
  isTasteKind,
  type MovieTaste,
  NO_TASTE,
  TASTE_KINDS,
  type TasteKind,
} from "../../core/members/taste-store.ts";

/**
 * 👍 / 👎 / Seen it / Watchlist under a card: one action row of four buttons per card. Discord
 * allows five rows per message, so a result with these shows fewer cards (the rows left after
 * "More like…" and "Share"). The custom_id says what the click will do ("taste:like:1:858" turns
 * the like on): a double click on the same button sets the same state, one row; the redrawn
 * button undoes. Discord sends the message's rows with a click, so the row is redrawn in place.
 */
const PREFIX = "taste:";
const MAX_ROWS = 5;

const LABELS: Record<TasteKind, { off: string; on: string }> = {
  like: { off: "👍", on: "👍 Liked" },
  dislike: { off: "👎", on: "👎 Not for me" },
  seen: { off: "Seen it", on: "✓ Seen" },
  watchlist: { off: "Watchlist", on: "✓ On watchlist" },
};

export interface TasteClick {
  kind: TasteKind;
  on: boolean;
  movieId: number;
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

export function tasteCustomId(kind: TasteKind, on: boolean, movieId: number): string {
  return `${PREFIX}${kind}:${on ? 1 : 0}:${movieId}`;
}

export function parseTasteCustomId(customId: string): TasteClick | null {
  const match = /^taste:([a-z]+):([01]):(\d{1,9})$/.exec(customId);
  if (!match || !isTasteKind(match[1])) return null;
  return { kind: match[1], on: match[2] === "1", movieId: Number(match[3]) };
}

/** The four buttons of one card; the 👍 names the film so the row can be told from its neighbours. */
export function tasteRow(movieId: number, title: string, taste: MovieTaste = NO_TASTE): Row {
  return {
    type: ComponentType.ActionRow,
    components: TASTE_KINDS.map((kind): APIButtonComponentWithCustomId => {
      const on = taste[kind];
      const label =
        kind === "like"
          ? `${LABELS[kind][on ? "on" : "off"]} ${title}`
          : LABELS[kind][on ? "on" : "off"];
      return {
        type: ComponentType.Button,
        custom_id: tasteCustomId(kind, !on, movieId),
        label: label.length > 80 ? `${label.slice(0, 79)}…` : label,
        style: on ? ButtonStyle.Primary : ButtonStyle.Secondary,
      };
    }),
  };
}

/** How many cards can carry a row of controls beside the rows a message already has. */
export function cardsWithRows(existingRows: number): number {
  return Math.max(0, MAX_ROWS - existingRows);
}

/** Rows for the cards, in card order, shortest title form. */
export function tasteRows(cards: readonly Card[]): Row[] {
  return cards.map((card) => tasteRow(card.movieId, shortTitle(card), card.taste));
}

/** The message's rows with one card's row redrawn for its new state. */
export function redrawTasteRow(
  rows: readonly Row[],
  movieId: number,
  title: string,
  taste: MovieTaste,
): Row[] {
  return rows.map((row) =>
    row.components.some(
      (c) => "custom_id" in c && parseTasteCustomId(c.custom_id)?.movieId === movieId,
    )
      ? tasteRow(movieId, title, taste)
      : row,
  );
}

export function shortTitle(card: Pick<Card, "title">): string {
  return card.title.length > 40 ? `${card.title.slice(0, 39)}…` : card.title;
}
