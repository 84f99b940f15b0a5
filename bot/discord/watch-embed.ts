import { escapeMarkdown } from "discord.js";
import {
  type APIActionRowComponent,
  type APIButtonComponentWithURL,
  type APIComponentInMessageActionRow,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Card } from "../../core/cards/card.ts";
import { providerLine, WATCH_LABELS } from "../watch-text.ts";

/** Discord's limits on what this module adds to an embed and a message. */
export const WATCH_LIMITS = {
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  buttonsPerRow: 5,
  buttonLabel: 80,
  buttonUrl: 512,
} as const;

/** TMDB's terms: wherever providers show, JustWatch is credited. One short line per embed. */
export const WATCH_FOOTER = "Streaming data: JustWatch, via TMDB";

/** A URL safe inside a masked link `[text](url)`: https, no spaces or parentheses. */
const linkable = (url: string | null | undefined): url is string =>
  typeof url === "string" && /^https:\/\/[^\s()]+$/.test(url) && url.length <= 1000;

/**
 * The embed's "Where to watch in CH" field: providers (at most `max` characters), TMDB's watch
 * page and the trailer as masked links; or a "Trailer" field alone when there are no providers.
 */
export function watchField(card: Card, max: number): APIEmbedField | null {
  const links: string[] = [];
  if (card.watch && linkable(card.watch.link)) links.push(`[All options](${card.watch.link})`);
  if (linkable(card.trailerUrl)) links.push(`[${WATCH_LABELS.trailer}](${card.trailerUrl})`);
  const linkLine = links.join(" · ");
  if (card.watch) {
    const room = Math.max(0, Math.min(max, WATCH_LIMITS.fieldValue - linkLine.length - 1));
    const providers = providerLine(card.watch, room, escapeMarkdown);
    const value = [providers, linkLine].filter((line) => line !== "").join("\n");
    if (value === "") return null;
    return { name: `${WATCH_LABELS.whereToWatch} in ${card.watch.region}`, value };
  }
  if (linkable(card.trailerUrl)) return { name: "Trailer", value: linkLine };
  return null;
}

/** The first subscription service (the member's own when they have one) as the embed's author. */
export function watchAuthor(card: Card): { name: string; icon_url?: string } | null {
  const first = card.watch?.flatrate[0];
  if (!first) return null;
  const name = `${WATCH_LABELS.stream} on ${first.name}`.slice(0, WATCH_LIMITS.authorName);
  return first.logoUrl && linkable(first.logoUrl) ? { name, icon_url: first.logoUrl } : { name };
}

/**
 * A row of trailer link buttons ("▶ The Matrix (1999)") for the first five cards that have one;
 * null when none has a trailer. Plain objects (see embeds.ts): labels are clipped here, and only
 * https URLs of at most 512 characters become buttons.
 */
export function trailerRow(
  cards: readonly Card[],
  label: (card: Card) => string,
): APIActionRowComponent<APIComponentInMessageActionRow> | null {
  const buttons = cards
    .filter(
      (card): card is Card & { trailerUrl: string } =>
        linkable(card.trailerUrl) && card.trailerUrl.length <= WATCH_LIMITS.buttonUrl,
    )
    .slice(0, WATCH_LIMITS.buttonsPerRow)
    .map((card): APIButtonComponentWithURL => {
      const text = `▶ ${label(card)}`;
      return {
        type: ComponentType.Button,
        style: ButtonStyle.Link,
        url: card.trailerUrl,
        label:
          text.length <= WATCH_LIMITS.buttonLabel
            ? text
            : `${text.slice(0, WATCH_LIMITS.buttonLabel - 1)}…`,
      };
    });
  if (buttons.length === 0) return null;
  return { type: ComponentType.ActionRow, components: buttons };
}
