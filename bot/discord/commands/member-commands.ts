import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
  SlashCommandBuilder,
} from "discord.js";
import type { CardService } from "../../../core/cards/card-service.ts";
import { movieLabel } from "../../../core/catalog/movie.ts";
import { entriesSummary, memberExport } from "../../../core/members/member-export.ts";
import { type MemberId, movieIdsOf, type TasteStore } from "../../../core/members/taste-store.ts";
import { clip as truncate } from "../../chat/chat-shared.ts";
import { type MessagePayload, renderNotice } from "../embeds.ts";
import type { CommandContext, CommandPlan, SlashCommand } from "./command.ts";

/**
 * The member's own lists and privacy: /watchlist (with remove buttons), /export (their data as
 * JSON, privately) and /forget-me (after a confirmation button, every row about them is deleted).
 */
export const WATCHLIST_REMOVE_PREFIX = "watchlist:remove:";
export const FORGET_CONFIRM_ID = "forget:confirm";
export const FORGET_CANCEL_ID = "forget:cancel";

const NO_MEMORY = "Sorry, I couldn't reach my memory just now. Please try again in a moment.";
const NO_MEMBER = "I can't tell who you are here, so there is nothing to show.";
const MAX_BUTTONS = 25;

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

function privately(message: MessagePayload): CommandPlan {
  return { kind: "reply", message, ephemeral: true };
}

/** The watchlist, newest first: titles in the text, a remove button for each of the first 25. */
export async function watchlistPayload(
  cards: CardService,
  taste: TasteStore,
  member: MemberId,
): Promise<MessagePayload> {
  const movies = movieIdsOf(await taste.entries(member), "watchlist").flatMap((id) => {
    const movie = cards.movie(id);
    return movie ? [movie] : [];
  });
  if (movies.length === 0) {
    return renderNotice("Your watchlist is empty. Press **Watchlist** under a card to add a film.");
  }
  const buttons = movies.slice(0, MAX_BUTTONS).map(
    (movie): APIButtonComponentWithCustomId => ({
      type: ComponentType.Button,
      custom_id: `${WATCHLIST_REMOVE_PREFIX}${movie.movieId}`,
      label: truncate(`✕ ${movie.title}`, 80),
      style: ButtonStyle.Secondary,
    }),
  );
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += 5) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  }
  const list = movies.map((movie, i) => `${i + 1}. ${movieLabel(movie)}`).join("\n");
  return {
    content: truncate(`**Your watchlist** (✕ removes a film):\n${list}`, 2000),
    embeds: [],
    components: rows,
    allowed_mentions: { parse: [] },
  };
}

async function withMember(
  context: CommandContext,
  work: (member: MemberId, taste: TasteStore) => Promise<CommandPlan>,
): Promise<CommandPlan> {
  if (!context.member || !context.taste) return privately(renderNotice(NO_MEMBER));
  try {
    return await work(context.member, context.taste);
  } catch {
    return privately(renderNotice(NO_MEMORY));
  }
}

export const watchlist: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("watchlist")
    .setDescription("The films on your watchlist, with buttons to remove them"),
  execute(_options, context) {
    return withMember(context, async (member, taste) =>
      privately(await watchlistPayload(context.cards, taste, member)),
    );
  },
};

export const exportData: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("export")
    .setDescription("Everything moviebot remembers about you, as JSON, only to you"),
  execute(_options, context) {
    return withMember(context, async (member, taste) => {
      const data = memberExport(member, await taste.entries(member), context.cards.catalog);
      const json = JSON.stringify(data, null, 1);
      // Short enough: a code block; longer: the whole file as the message's only content would
      // not fit 2000 characters, so the JSON goes in embed descriptions (4096 each, up to 6000).
      if (json.length <= 1900) {
        return privately(
          renderNotice(`Everything I remember about you:\n\`\`\`json\n${json}\n\`\`\``),
        );
      }
      const compact = JSON.stringify(data);
      const parts: string[] = [];
      for (let i = 0; i < compact.length && parts.length < 1; i += 4000)
        parts.push(compact.slice(i, i + 4000));
      return privately({
        content: `Everything I remember about you (${data.entries.length} entries)${compact.length > 4000 ? "; the first 4000 characters" : ""}:`,
        embeds: parts.map((part) => ({ description: `\`\`\`${part}\`\`\`` })),
        components: [],
        allowed_mentions: { parse: [] },
      });
    });
  },
};

export const forgetMe: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("forget-me")
    .setDescription("Delete everything moviebot remembers about you (asks first)"),
  execute(_options, context) {
    return withMember(context, async (member, taste) => {
      const summary = entriesSummary(await taste.entries(member));
      return privately({
        content: `Forget everything I remember about you (${summary})? Your likes, dislikes, seen films and watchlist are deleted for good.`,
        embeds: [],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                custom_id: FORGET_CONFIRM_ID,
                label: "Forget me",
                style: ButtonStyle.Danger,
              },
              {
                type: ComponentType.Button,
                custom_id: FORGET_CANCEL_ID,
                label: "Cancel",
                style: ButtonStyle.Secondary,
              },
            ],
          },
        ],
        allowed_mentions: { parse: [] },
      });
    });
  },
};
