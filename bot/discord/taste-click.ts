import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { MemberId, TasteStore } from "../../core/members/taste-store.ts";
import { cardEmbed, renderNotice } from "./embeds.ts";
import type { InteractionOutcome } from "./interaction-handler.ts";
import type { DiscordInput } from "./interaction-input.ts";
import { parseTasteCustomId, redrawTasteRow, shortTitle, tasteRow } from "./taste-components.ts";

const NOT_SAVED = "Sorry, I couldn't save that just now. Please try again in a moment.";

/**
 * A click on 👍 / 👎 / Seen it / Watchlist: stored (one transaction, idempotent), then shown. On a
 * message only the clicker sees, its row is redrawn in place (UPDATE_MESSAGE); on one the channel
 * sees, the clicker alone gets the card with its new state. Null when the click is not one of these.
 */
export async function tasteClick(
  input: Extract<DiscordInput, { kind: "component" }>,
  member: MemberId | undefined,
  deps: { cards: CardService; taste: TasteStore; logger: Logger },
): Promise<InteractionOutcome | null> {
  const click = parseTasteCustomId(input.customId);
  if (!click) return null;
  const movie = deps.cards.movie(click.movieId);
  if (!movie || !member) return privately("That button is out of date; run /recommend again.");
  let taste: Awaited<ReturnType<TasteStore["mark"]>>;
  try {
    taste = await deps.taste.mark(member, click.movieId, click.kind, click.on);
  } catch (error) {
    deps.logger.warn(
      { reason: (error as Error).message, kind: click.kind },
      "click not saved: member database failed",
    );
    return privately(NOT_SAVED);
  }
  const title = shortTitle(movie);
  if (input.messageEphemeral && input.messageComponents) {
    return {
      response: {
        type: InteractionResponseType.UpdateMessage,
        data: { components: redrawTasteRow(input.messageComponents, movie.movieId, title, taste) },
      },
    };
  }
  const [card] = await deps.cards.cardsFor(
    [{ movieId: movie.movieId, score: 0, because: [] }],
    "personalized",
    member,
  );
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: {
        content: "Saved, only you can see this:",
        embeds: card ? [cardEmbed({ ...card, reason: "Your taste, saved" })] : [],
        components: [tasteRow(movie.movieId, title, taste)],
        allowed_mentions: { parse: [] },
        flags: MessageFlags.Ephemeral,
      },
    },
  };
}

function privately(text: string): InteractionOutcome {
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { ...renderNotice(text), flags: MessageFlags.Ephemeral },
    },
  };
}
