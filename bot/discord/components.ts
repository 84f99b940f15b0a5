import type { CardService } from "../../core/cards/card-service.ts";
import {
  CHAT_RESULT_LIMIT,
  parseMovieId,
  parseRequest,
} from "../../core/requests/recommend-request.ts";
import { MESSAGES } from "../chat/chat-shared.ts";
import type { CommandPlan } from "./commands/command.ts";
import { MORE_LIKE_ID, parsePickCustomId } from "./custom-ids.ts";
import { renderNotice } from "./embeds.ts";

/**
 * Clicks on our "More like…" components (type 3 interactions): they answer the clicker privately
 * with recommendations for the chosen movie. (Share, taste and member clicks have their own
 * handlers.)
 */
export function planComponent(
  input: { customId: string; values: string[] },
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
  return notice("This button is from an older version of the bot; run /recommend again.");
}

function notice(text: string): CommandPlan {
  return { kind: "reply", message: renderNotice(text), ephemeral: true };
}
