import type { types } from "@slack/bolt";
import type { Card } from "../../core/cards/card.ts";
import { cardLabel, cardLink, clip } from "../chat/chat-shared.ts";
import { providerLine, providerRegions, WATCH_LABELS, watchCredit } from "../watch-text.ts";
import { clipEscaped, escapeMrkdwn, LIMITS } from "./block-limits.ts";
import { ACTIONS } from "./slack-ids.ts";

/** Slack's limits for card and carousel blocks (@slack/types CardBlock / CarouselBlock). */
export const CARD_LIMITS = {
  cardsPerCarousel: 10,
  title: 150,
  subtitle: 150,
  body: 200,
  /** Slack shows at most three buttons on a card. */
  actions: 3,
  blockId: 255,
} as const;

const label = cardLabel;

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text });

function linkButton(actionId: string, text: string, url: string): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
    url,
  };
}

/**
 * The link buttons a card gets: its trailer, and TMDB's watch page (or, with `details`, the film's
 * page when there are no providers). URLs past Slack's 3000 characters are left out, not rejected.
 */
export function watchButtons(card: Card, options: { details: boolean }): types.Button[] {
  const buttons: types.Button[] = [];
  const fits = (url: string | null | undefined): url is string =>
    typeof url === "string" && url.length <= LIMITS.imageUrl;
  if (fits(card.trailerUrl)) {
    buttons.push(linkButton(ACTIONS.openTrailer, WATCH_LABELS.trailer, card.trailerUrl));
  }
  const page = card.watch?.link ?? (options.details ? cardLink(card) : null);
  if (fits(page)) {
    const text = card.watch ? WATCH_LABELS.whereToWatch : WATCH_LABELS.details;
    buttons.push(linkButton(ACTIONS.openWatch, text, page));
  }
  return buttons;
}

/** A carousel suits result sets of 1–10 cards where TMDB gave posters; otherwise sections do. */
export function carouselFits(cards: readonly Card[]): boolean {
  return (
    cards.length >= 1 &&
    cards.length <= CARD_LIMITS.cardsPerCarousel &&
    cards.some((card) => card.posterUrl && card.posterUrl.length <= LIMITS.imageUrl)
  );
}

/** One film as a card: hero poster, title, genres, why, where to watch, and up to three buttons. */
export function movieCard(card: Card, index: number): types.CardBlock {
  const block: types.CardBlock = {
    type: "card",
    block_id: clip(`card_${index}_${card.movieId}`, CARD_LIMITS.blockId),
    title: mrkdwn(clipEscaped(label(card), CARD_LIMITS.title)),
  };
  if (card.posterUrl && card.posterUrl.length <= LIMITS.imageUrl) {
    block.hero_image = {
      type: "image",
      image_url: card.posterUrl,
      alt_text: clip(`Poster of ${label(card)}`, LIMITS.altText),
    };
  }
  if (card.genres.length > 0) {
    block.subtitle = mrkdwn(clipEscaped(card.genres.join(", "), CARD_LIMITS.subtitle));
  }
  // The body holds 200 characters: the providers get what the reason leaves, at least half.
  const reason = card.reason ? `_${clipEscaped(card.reason, 80)}_` : "";
  const room = CARD_LIMITS.body - reason.length - (reason ? 1 : 0);
  const providers = card.watch ? providerLine(card.watch, room, escapeMrkdwn) : "";
  const body = [reason, providers].filter((line) => line !== "").join("\n");
  if (body) block.body = mrkdwn(body);
  const more: types.Button = {
    type: "button",
    action_id: ACTIONS.moreLikeThis,
    text: { type: "plain_text", text: "More like this", emoji: true },
    value: String(card.movieId),
  };
  block.actions = [more, ...watchButtons(card, { details: true })].slice(0, CARD_LIMITS.actions);
  return block;
}

/** The cards as one carousel, then the JustWatch credit when any card shows providers. */
export function carouselBlocks(cards: readonly Card[]): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    {
      type: "carousel",
      block_id: "cards",
      elements: cards.slice(0, CARD_LIMITS.cardsPerCarousel).map(movieCard),
    },
  ];
  const credit = creditBlock(cards);
  if (credit) blocks.push(credit);
  return blocks;
}

/** "Where to watch in CH: data by JustWatch, via TMDB." as a context line, or null without providers. */
export function creditBlock(cards: readonly Card[]): types.ContextBlock | null {
  const regions = providerRegions(cards);
  if (regions.length === 0) return null;
  return {
    type: "context",
    block_id: "watch_credit",
    elements: [{ type: "mrkdwn", text: escapeMrkdwn(watchCredit(regions.join(", "))) }],
  };
}
