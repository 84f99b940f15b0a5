import type { types } from "@slack/bolt";
import type { Card } from "../../core/cards/card.ts";
import type { JobResult } from "../../core/jobs/job.ts";
import { MAX_PICKS } from "../../core/requests/recommend-request.ts";
import type { Suggestion } from "../../core/search/movie-search.ts";
import { cardLabel, cardLink, clip } from "../chat/chat-shared.ts";
import { matchedLines, weakMatches } from "../chat/match-text.ts";
import { MINE_EMPTY, providerLine } from "../watch-text.ts";
import { clipEscaped, escapeMrkdwn, LIMITS } from "./block-limits.ts";
import { carouselBlocks, carouselFits, creditBlock, watchButtons } from "./card-carousel.ts";
import { type Frame, frameOf, tasteButtons, tasteRowBlocks } from "./feedback-blocks.ts";
import { ACTIONS, PICKER_BLOCK_ID } from "./slack-ids.ts";

/** A message body for respond(), response_url or chat.postMessage: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

type Block = types.KnownBlock;

const plain = (text: string, max: number): types.PlainTextElement => ({
  type: "plain_text",
  text: clip(text, max),
  emoji: true,
});

const mrkdwnSection = (text: string): types.SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
});

function button(actionId: string, text: string, value: string, primary = false): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: plain(text, LIMITS.buttonText),
    value: clip(value, LIMITS.buttonValue),
    ...(primary ? { style: "primary" as const } : {}),
  };
}

/** The picker `/recommend` shows with no text: as-you-type search and two buttons. */
export function pickerMessage(): SlackMessage {
  return {
    text: "Pick movies you like, then press Recommend.",
    blocks: [
      {
        type: "section",
        block_id: PICKER_BLOCK_ID,
        text: { type: "mrkdwn", text: "*Pick movies you like*, then press *Recommend*." },
        accessory: {
          type: "multi_external_select",
          action_id: ACTIONS.pickMovies,
          placeholder: plain("Pick movies you like", LIMITS.placeholder),
          min_query_length: 1,
          max_selected_items: MAX_PICKS,
        },
      },
      {
        type: "actions",
        block_id: "picker_buttons",
        elements: [
          button(ACTIONS.recommendPicked, "Recommend", "picked", true),
          button(ACTIONS.popularPicks, "Popular picks", "popular"),
        ],
      },
    ],
  };
}

/** A short message that is only text: errors, apologies and notices. */
export function noticeMessage(text: string): SlackMessage {
  return { text: clip(text, LIMITS.messageText), blocks: [mrkdwnSection(escapeMrkdwn(text))] };
}

/** The options a block_suggestion request answers with: at most 100, labels within 75 characters. */
export function movieOptions(suggestions: readonly Suggestion[]): types.PlainTextOption[] {
  const seen = new Set<number>();
  const options: types.PlainTextOption[] = [];
  for (const suggestion of suggestions) {
    if (options.length >= LIMITS.options) break;
    if (seen.has(suggestion.movieId)) continue;
    seen.add(suggestion.movieId);
    options.push({
      text: plain(suggestion.label, LIMITS.optionText),
      value: String(suggestion.movieId),
    });
  }
  return options;
}

/**
 * One card: a section (linked title, year, genres, why) with the poster, and its "More like this";
 * with a frame (or null when it did not fit), also 👍 / 👎 / Seen it / Watchlist.
 */
export function cardBlocks(card: Card, index: number, frame?: Frame | null): Block[] {
  const label = escapeMrkdwn(cardLabel(card));
  // `|` would end the link text early; TMDB links are the spec's choice, IMDb the fallback.
  const url = cardLink(card);
  const title = url ? `*<${url}|${label.replaceAll("|", "¦")}>*` : `*${label}*`;
  const lines = [title];
  // Genres and reason are clipped on their own so the providers line always has room.
  if (card.genres.length > 0) lines.push(clipEscaped(card.genres.join(", "), 300));
  if (card.reason) lines.push(`_${clipEscaped(card.reason, 1000)}_`);
  if (card.watch) lines.push(providerLine(card.watch, 400, escapeMrkdwn));
  const section: types.SectionBlock = {
    type: "section",
    block_id: `card_${index}_${card.movieId}`,
    text: { type: "mrkdwn", text: clip(lines.join("\n"), LIMITS.sectionText) },
  };
  if (card.posterUrl && card.posterUrl.length <= LIMITS.imageUrl) {
    section.accessory = {
      type: "image",
      image_url: card.posterUrl,
      alt_text: clip(`Poster of ${cardLabel(card)}`, LIMITS.altText),
    };
  }
  const actions: types.ActionsBlock = {
    type: "actions",
    block_id: `more_${index}_${card.movieId}`,
    elements: [
      button(ACTIONS.moreLikeThis, "More like this", String(card.movieId)),
      // The title already links to the film: only trailer and watch page here.
      ...watchButtons(card, { details: false }),
      ...(frame !== undefined ? tasteButtons(card, frame) : []),
    ],
  };
  return [section, actions];
}

export interface ResultOptions {
  /** The id the private result's cards are kept under (SharedCardsStore); null: no Share button. */
  shareId: string | null;
}

/** A share id's length: the layout with a Share button is worked out before the id exists. */
const SHARE_ID_PLACEHOLDER = "-".repeat(16);

/**
 * A job's result as one message: a header, what could not be found, the cards, and "Share to
 * channel". Cards that would push the message past 50 blocks are left out, and the text says so.
 */
export function resultMessage(result: JobResult, options: ResultOptions): SlackMessage {
  return resultLayout(result, options.shareId).message;
}

/** The cards resultMessage shows when it has a Share button: what Share will post. */
export function shownCards(result: JobResult): Card[] {
  return resultLayout(result, SHARE_ID_PLACEHOLDER).shown;
}

function resultLayout(
  result: JobResult,
  shareId: string | null,
): { message: SlackMessage; shown: Card[] } {
  const head: Block[] = [];
  const tail: Block[] = [];
  const asked = result.request.name === "recommend";
  const fellBack = asked && result.strategy === "popular";
  const title = headerOf(result);
  head.push({ type: "header", text: plain(title, LIMITS.headerText) });
  const notes: string[] = matchedLines(result.matches).map(escapeMrkdwn);
  if (result.popularSource === "community") notes.push("Ranked by what members here liked.");
  if (result.popularSource === "blended") {
    notes.push("MovieLens raters' favourites mixed with what members here liked so far.");
  }
  if (result.unresolved.length > 0) {
    const names = result.unresolved.map((t) => `“${escapeMrkdwn(t)}”`).join(", ");
    notes.push(`Couldn't find ${names}.`);
  }
  if (result.ignored.length > 0) {
    notes.push(`Ignored unknown movie ids: ${result.ignored.join(", ")}.`);
  }
  if (fellBack && !result.pickedForYou) {
    notes.push("Nothing to go on yet, so here is what is popular.");
  }
  if (notes.length > 0) head.push(mrkdwnSection(notes.join("\n")));
  // A weak match was not used: its candidates, each with a button that recommends from it.
  for (const weak of weakMatches(result.matches)) {
    head.push(mrkdwnSection(escapeMrkdwn(weak.prompt)));
    for (const candidate of weak.candidates) {
      head.push({
        ...mrkdwnSection(escapeMrkdwn(candidate.label)),
        accessory: button(ACTIONS.moreLikeThis, "Use this one", String(candidate.movieId)),
      });
    }
  }

  if (shareId && result.cards.length > 0) {
    tail.push({
      type: "actions",
      block_id: "share",
      elements: [button(ACTIONS.shareToChannel, "Share to channel", shareId)],
    });
  }

  // "Picked for you" keeps the picker beneath, to refine.
  if (result.pickedForYou) tail.push(...pickerMessage().blocks);
  const { shown, body } = cardsThatFit(result.cards, head.length + tail.length, (shown) =>
    // A member's result: every card gets 👍 / 👎 / Seen it / Watchlist.
    result.request.member ? frameOf(title, shown, result.pickedForYou === true) : undefined,
  );
  if (result.cards.length === 0) {
    body.push(
      mrkdwnSection(
        result.request.onlyMine
          ? MINE_EMPTY
          : "No movies to show. Try other titles, or `/recommend popular`.",
      ),
    );
  }

  const titles = shown.map(cardLabel).join(", ");
  const missing =
    result.unresolved.length > 0 ? ` (couldn't find ${result.unresolved.join(", ")})` : "";
  return {
    message: {
      text: clip(`${title}: ${titles || "none"}${missing}`, LIMITS.messageText),
      blocks: [...head, ...body, ...tail],
    },
    shown,
  };
}

/**
 * Poster-first: a carousel of cards when 1–10 came back with posters; sections otherwise, as many
 * as fit beside `used` other blocks, with "…and N more" for the rest.
 */
function cardsThatFit(
  cards: readonly Card[],
  used: number,
  frameFor: (shown: readonly Card[]) => Frame | null | undefined,
): { shown: Card[]; body: Block[] } {
  const carousel = carouselFits(cards);
  const credit = carousel ? null : creditBlock(cards);
  const room = LIMITS.blocksPerMessage - used - (credit ? 1 : 0) - 1;
  const shown = carousel ? [...cards] : cards.slice(0, Math.max(0, Math.floor(room / 2)));
  const body = cardsBody(shown, frameFor(shown), carousel);
  if (credit) body.push(credit);
  if (shown.length < cards.length) {
    body.push(mrkdwnSection(`…and ${cards.length - shown.length} more.`));
  }
  return { shown, body };
}

/** Cards a member shared, posted for the whole channel: exactly those, no Share button. */
export function sharedMessage(cards: readonly Card[], userId: string | null): SlackMessage {
  const intro = userId ? `<@${userId}> shared these picks:` : "Shared picks:";
  const head: Block[] = [mrkdwnSection(intro)];
  const { shown, body } = cardsThatFit(cards, head.length, () => undefined);
  return {
    text: clip(`${intro} ${shown.map(cardLabel).join(", ")}`, LIMITS.messageText),
    blocks: [...head, ...body],
  };
}

/** The header of a result: what the cards are. */
function headerOf(result: JobResult): string {
  if (result.pickedForYou) return "Picked for you";
  if (result.popularSource === "community") return "Popular in this workspace";
  return result.strategy === "popular" ? "Popular picks" : "Movies you might like";
}

/**
 * The cards: a carousel (whose cards hold three buttons, taken by "More like this" and the watch
 * links) followed by a row of 👍 / 👎 / Seen it / Watchlist per card; or sections with them inline.
 */
function cardsBody(
  cards: readonly Card[],
  frame: Frame | null | undefined,
  carousel: boolean,
): Block[] {
  if (!carousel) return cards.flatMap((card, i) => cardBlocks(card, i, frame));
  const [first, ...rest] = carouselBlocks(cards);
  const rows = frame === undefined ? [] : tasteRowBlocks(cards, frame);
  return [...(first ? [first] : []), ...rows, ...rest];
}

/** A message drawn again from its frame after a click: same header and cards, new states. */
export function framedMessage(frame: Frame, cards: readonly Card[]): SlackMessage {
  const blocks: Block[] = [{ type: "header", text: plain(frame.t, LIMITS.headerText) }];
  blocks.push(...cardsBody(cards, frame, carouselFits(cards)));
  if (frame.p) blocks.push(...pickerMessage().blocks);
  return {
    text: clip(`${frame.t}: ${cards.map(cardLabel).join(", ") || "none"}`, LIMITS.messageText),
    blocks: blocks.slice(0, LIMITS.blocksPerMessage),
  };
}
