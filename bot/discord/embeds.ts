import { embedLength, escapeMarkdown } from "discord.js";
import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APISelectMenuOption,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import type { Card } from "../../core/cards/card.ts";
import type { JobResult } from "../../core/jobs/job.ts";
import type { Suggestion } from "../../core/search/movie-search.ts";
import { cardLabel, cardLink, clip } from "../chat/chat-shared.ts";
import { matchedLines, weakMatches } from "../chat/match-text.ts";
import { MINE_EMPTY } from "../watch-text.ts";
import { MORE_LIKE_ID, pickCustomId, shareCustomId } from "./custom-ids.ts";
import { cardsWithRows, tasteRows } from "./taste-components.ts";
import { trailerRow, WATCH_FOOTER, watchAuthor, watchField } from "./watch-embed.ts";

/** Discord's documented limits; the builders below reject anything past them. */
export const LIMITS = {
  embedsPerMessage: 10,
  embedCharsPerMessage: 6000,
  contentChars: 2000,
  choices: 25,
  choiceName: 100,
  selectOptions: 25,
  selectLabel: 100,
  selectDescription: 100,
  embedTitle: 256,
  fieldValue: 1024,
  actionRows: 5,
  buttonLabel: 80,
} as const;

const BRAND_COLOR = 0x01b4e4;

/** The body of a message we send or edit: inline reply, PATCH of @original, or Share. */
export interface MessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Never ping anyone: content may quote what a user typed. */
  allowed_mentions: APIAllowedMentions;
}

/**
 * How much of each text an embed keeps: today's full sizes first, then smaller ones, so that ten
 * cards with providers still share a message's 6000 characters instead of pushing cards out.
 */
const SIZES = [
  { title: LIMITS.embedTitle, text: 4096, field: LIMITS.fieldValue },
  { title: 200, text: 300, field: 200 },
  { title: 150, text: 150, field: 120 },
  { title: 100, text: 80, field: 80 },
] as const;

/**
 * One movie as an embed: title linked to TMDB (else IMDb), why it was picked, genres, poster, and
 * where to watch it (providers, TMDB's watch page, trailer, JustWatch credit), within `budget`
 * characters where it can be done.
 */
export function cardEmbed(card: Card, budget: number = LIMITS.embedCharsPerMessage): APIEmbed {
  let embed = buildEmbed(card, SIZES[0]);
  for (const size of SIZES.slice(1)) {
    if (embedLength(embed) <= budget) break;
    embed = buildEmbed(card, size);
  }
  return embed;
}

// A plain object, not discord.js's EmbedBuilder: the builder validates every setter with
// exceptions on the success path (a stack trace per description), which was a seventh of the event
// loop's time on a member's /recommend. The fields are clipped to Discord's limits above, and
// embeds.test.ts checks them; the object is what EmbedBuilder.toJSON() gave, key for key.
function buildEmbed(card: Card, size: (typeof SIZES)[number]): APIEmbed {
  const embed: APIEmbed = { color: BRAND_COLOR, title: clip(cardLabel(card), size.title) };
  const description = clip(card.reason, size.text);
  if (description) embed.description = description;
  const link = cardLink(card);
  if (link) embed.url = link;
  const fields: NonNullable<APIEmbed["fields"]> = [];
  if (card.genres.length > 0) {
    fields.push({ name: "Genres", value: clip(card.genres.join(", "), size.field), inline: true });
  }
  const watch = watchField(card, size.field);
  if (watch) fields.push(watch);
  if (fields.length > 0) embed.fields = fields;
  if (card.posterUrl) embed.thumbnail = { url: card.posterUrl };
  const author = watchAuthor(card);
  if (author) embed.author = { name: author.name, icon_url: author.icon_url };
  if (card.watch) embed.footer = { text: WATCH_FOOTER };
  return embed;
}

/** The cards that fit in one message: at most 10 embeds and 6000 characters across them. */
export function fittingCards(cards: readonly Card[]): { cards: Card[]; embeds: APIEmbed[] } {
  const kept: Card[] = [];
  const embeds: APIEmbed[] = [];
  let total = 0;
  const count = Math.min(cards.length, LIMITS.embedsPerMessage);
  const budget = Math.floor(LIMITS.embedCharsPerMessage / Math.max(1, count));
  for (const card of cards.slice(0, LIMITS.embedsPerMessage)) {
    const embed = cardEmbed(card, budget);
    const length = embedLength(embed);
    if (total + length > LIMITS.embedCharsPerMessage) break;
    total += length;
    kept.push(card);
    embeds.push(embed);
  }
  return { cards: kept, embeds };
}

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

// The rows below are plain objects, not discord.js's builders: the builders re-validated every
// field with @sapphire/shapeshift and snake-cased their data on each call, a tenth of the event
// loop's time on a member's /recommend. Every text is clipped to Discord's limits here, every
// list capped, and the objects are what the builders' toJSON() gave, key for key (embeds.test.ts).

/** A "More like…" select listing the cards, and with a share id a "Share to channel" button. */
export function resultComponents(
  cards: readonly Card[],
  options: { shareId: string | null },
): Row[] {
  const unique = [...new Map(cards.map((c) => [c.movieId, c])).values()].slice(
    0,
    LIMITS.selectOptions,
  );
  if (unique.length === 0) return [];
  const rows: Row[] = [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: MORE_LIKE_ID,
          placeholder: "More like…",
          options: unique.map(selectOption),
        },
      ],
    },
  ];
  if (options.shareId) {
    rows.push(
      buttonRow([button(shareCustomId(options.shareId), "Share to channel", ButtonStyle.Primary)]),
    );
  }
  // Trailers as link buttons too, while the message has a row to spare.
  const trailers = trailerRow(unique, cardLabel);
  if (trailers && rows.length < LIMITS.actionRows) rows.push(trailers);
  return rows;
}

function selectOption(card: Card): APISelectMenuOption {
  const option: APISelectMenuOption = {
    label: clip(cardLabel(card), LIMITS.selectLabel),
    value: String(card.movieId),
  };
  // Discord refuses an empty description; a card without a reason shows none.
  const description = clip(card.reason, LIMITS.selectDescription);
  if (description) option.description = description;
  return option;
}

/** A button that sends its custom id back (every button the bot posts but the trailer's link). */
export function button(
  customId: string,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: customId, label, style };
}

function buttonRow(buttons: APIButtonComponentWithCustomId[]): Row {
  return { type: ComponentType.ActionRow, components: buttons };
}

/** A row of buttons per weak title match, one per candidate: a click recommends from it. */
function candidateRows(result: JobResult, room: number): Row[] {
  const used = new Set<number>();
  const rows: Row[] = [];
  for (const weak of weakMatches(result.matches)) {
    if (rows.length >= room) break;
    // custom_ids are unique per message: a candidate offered twice gets one button.
    const fresh = weak.candidates.filter((c) => !used.has(c.movieId));
    if (fresh.length === 0) continue;
    for (const c of fresh) used.add(c.movieId);
    rows.push(
      buttonRow(
        fresh.map((c) =>
          button(pickCustomId(c.movieId), clip(c.label, LIMITS.buttonLabel), ButtonStyle.Secondary),
        ),
      ),
    );
  }
  return rows;
}

function quoted(texts: readonly string[]): string {
  return texts.map((t) => `“${escapeMarkdown(clip(t, 100))}”`).join(", ");
}

/** The line above the cards: what they are, and what could not be used. */
export function headline(result: JobResult): string {
  const lines: string[] = [];
  const request = result.request;
  if (result.pickedForYou) {
    lines.push("**Picked for you** from the movies you liked (refine: `/recommend movie1:…`):");
  } else if (result.popularSource === "community") {
    lines.push("**Popular in this server**, ranked by what members here liked:");
  } else if (result.popularSource === "blended") {
    lines.push(
      "**Popular picks**: MovieLens raters' favourites mixed with what members here liked:",
    );
  } else if (request.name === "popular") lines.push("**Popular picks** with MovieLens raters:");
  else if (result.strategy === "personalized") {
    lines.push("**Picked for you** from people who liked the same movies:");
  } else if (request.liked.length === 0 && request.titles.length === 0) {
    lines.push("You didn't pick any movies, so here are **popular picks**.");
  } else lines.push("None of your movies matched, so here are **popular picks** instead.");
  const matched = matchedLines(result.matches);
  if (matched.length > 0) lines.push(escapeMarkdown(matched.join("\n")));
  for (const weak of weakMatches(result.matches)) lines.push(escapeMarkdown(weak.prompt));
  if (result.unresolved.length > 0) {
    lines.push(
      `I couldn't find ${quoted(result.unresolved)}. Pick titles from the suggestions as you type.`,
    );
  }
  if (result.ignored.length > 0) {
    lines.push(
      `${result.ignored.length} picked movie(s) are not in the catalog and were left out.`,
    );
  }
  if (result.cards.length === 0) {
    lines.push(result.request.onlyMine ? MINE_EMPTY : "There is nothing to show right now.");
  }
  return clip(lines.join("\n"), LIMITS.contentChars);
}

/** A share id's length: the layout with a Share button is worked out before the id exists. */
const SHARE_ID_PLACEHOLDER = "-".repeat(16);

/**
 * A job's result as a message. A private result gets a Share button carrying `shareId`, the id
 * its shown cards (shownCards) were kept under.
 */
export function renderResult(
  result: JobResult,
  options: { shareId: string | null },
): MessagePayload {
  return composeResult(result, layResult(result, options.shareId !== null), options.shareId);
}

/** The cards renderResult shows when it has a Share button: what Share will post. */
export function shownCards(result: JobResult): Card[] {
  return layResult(result, true).cards;
}

/**
 * A private result with its Share button, laid out once: `keep` keeps the cards shown and answers
 * their share id (null: no button, and the result laid out again without one).
 */
export async function renderWithShare(
  result: JobResult,
  keep: (shown: readonly Card[]) => Promise<string | null>,
): Promise<MessagePayload> {
  const layout = layResult(result, true);
  const shareId = await keep(layout.cards);
  return shareId === null
    ? renderResult(result, { shareId: null })
    : composeResult(result, layout, shareId);
}

interface ResultLayout {
  cards: Card[];
  embeds: APIEmbed[];
  withTaste: boolean;
}

/** Which cards the message shows: those that fit, and with taste rows those that have a row. */
function layResult(result: JobResult, withShare: boolean): ResultLayout {
  const fitting = fittingCards(result.cards);
  let { cards, embeds } = fitting;
  // A member's result: each card gets a row of 👍 / 👎 / Seen it / Watchlist, so fewer cards fit.
  const withTaste = result.request.member !== undefined && cards.length > 0;
  if (withTaste) {
    // The rows the others need (select, Share, trailers) stay; the cards take what is left.
    const shareId = withShare ? SHARE_ID_PLACEHOLDER : null;
    const room = cardsWithRows(resultComponents(cards, { shareId }).length);
    cards = cards.slice(0, room);
    embeds = embeds.slice(0, room);
  }
  return { cards, embeds, withTaste };
}

function composeResult(
  result: JobResult,
  layout: ResultLayout,
  shareId: string | null,
): MessagePayload {
  const { cards, embeds, withTaste } = layout;
  const rows = resultComponents(cards, { shareId });
  return {
    content: headline(result),
    embeds,
    components: withTaste
      ? [...tasteRows(cards), ...rows]
      : [...rows, ...candidateRows(result, LIMITS.actionRows - rows.length)],
    allowed_mentions: { parse: [] },
  };
}

/** Cards a member shared, posted for the whole channel: exactly those, no Share button. */
export function renderShared(cards: readonly Card[], userId: string | null): MessagePayload {
  const fitting = fittingCards(cards);
  return {
    content: userId ? `<@${userId}> shared these picks:` : "Shared picks:",
    embeds: fitting.embeds,
    components: resultComponents(fitting.cards, { shareId: null }),
    allowed_mentions: { parse: [] },
  };
}

/** A plain text message (errors, apologies): clears any embeds and components it replaces. */
export function renderNotice(text: string): MessagePayload {
  return {
    content: clip(text, LIMITS.contentChars),
    embeds: [],
    components: [],
    allowed_mentions: { parse: [] },
  };
}

/** Autocomplete choices: name "The Matrix (1999)" (≤ 100 chars), value the movieId as a string. */
export function renderChoices(
  suggestions: readonly Suggestion[],
): APIApplicationCommandOptionChoice<string>[] {
  const seen = new Set<number>();
  const choices: APIApplicationCommandOptionChoice<string>[] = [];
  for (const s of suggestions) {
    if (seen.has(s.movieId) || choices.length >= LIMITS.choices) continue;
    seen.add(s.movieId);
    choices.push({ name: clip(s.label, LIMITS.choiceName), value: String(s.movieId) });
  }
  return choices;
}
