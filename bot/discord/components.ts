import type { APIEmbed } from "discord.js";
import type { Card } from "../../core/cards/card.ts";
import type { CardService } from "../../core/cards/card-service.ts";
import { movieLinks } from "../../core/catalog/movie.ts";
import {
  CHAT_RESULT_LIMIT,
  parseMovieId,
  parseRequest,
} from "../../core/requests/recommend-request.ts";
import { MESSAGES } from "../chat/chat-shared.ts";
import type { CommandPlan } from "./commands/command.ts";
import { MORE_LIKE_ID, parsePickCustomId, parseShareCustomId } from "./custom-ids.ts";
import { renderNotice, renderShared } from "./embeds.ts";

/**
 * Clicks on our components (type 3 interactions). "More like…" answers the clicker privately with
 * recommendations for the chosen movie; "Share to channel" posts the user's private results for
 * everyone as a new message.
 */
export function planComponent(
  input: { customId: string; values: string[]; messageEmbeds: APIEmbed[]; userId: string | null },
  cards: CardService,
): CommandPlan {
  // A weak title match's candidate button ("more-like:1196") answers like the select.
  const picked = parsePickCustomId(input.customId);
  if (input.customId === MORE_LIKE_ID || picked !== null) {
    const value = picked ?? input.values[0] ?? "";
    const movieId = parseMovieId(value);
    if (movieId === null || !cards.movie(movieId)) {
      return notice(MESSAGES.movieGone);
    }
    return {
      kind: "compute",
      request: parseRequest({
        name: "recommend",
        liked: [movieId],
        titles: [],
        limit: CHAT_RESULT_LIMIT,
      }),
      ephemeral: true,
    };
  }
  const shared = parseShareCustomId(input.customId);
  if (shared) {
    const sharedCards = cardsFromShare(shared, input.messageEmbeds, cards);
    if (sharedCards.length === 0) return notice("Those movies are no longer in the catalog.");
    return { kind: "reply", message: renderShared(sharedCards, input.userId), ephemeral: false };
  }
  return notice("This button is from an older version of the bot; run /recommend again.");
}

function notice(text: string): CommandPlan {
  return { kind: "reply", message: renderNotice(text), ephemeral: true };
}

/**
 * Cards for shared ids: facts from the catalog (the custom_id is the source of truth), poster,
 * link and reason from the embed the user saw, matched by position since both came from the same
 * list. A missing embed just means a card without a poster.
 */
function cardsFromShare(ids: number[], embeds: APIEmbed[], cards: CardService): Card[] {
  return ids.flatMap((movieId, index): Card[] => {
    const movie = cards.movie(movieId);
    if (!movie) return [];
    const embed = embeds[index];
    const matches = embed?.title?.startsWith(movie.title) ?? false;
    return [
      {
        movieId,
        title: movie.title,
        year: movie.year,
        genres: movie.genres,
        posterUrl: (matches && embed?.thumbnail?.url) || null,
        ...movieLinks(movie),
        score: null,
        reason: (matches && embed?.description) || "Shared pick",
      },
    ];
  });
}
