import { isMoviebotError } from "../../../core/errors.ts";
import { TasteStoreUnavailableError } from "../../../core/members/taste-store.ts";
import { MovieNightError } from "../../../core/movienight/movie-night.ts";
import { MESSAGES } from "../../chat/chat-shared.ts";
import { NightPostError } from "../slack-night-publisher.ts";
import type { ListenerDeps } from "./listener-deps.ts";

/** What the member is told when a movie-night step fails; the log gets the reason. */
export function nightFailure(deps: Pick<ListenerDeps, "logger">, error: unknown): string {
  if (error instanceof MovieNightError) return error.message;
  if (error instanceof NightPostError) {
    deps.logger.warn({ slack: error.slackCode }, "movie night: Slack refused a post");
    return error.userMessage;
  }
  if (error instanceof TasteStoreUnavailableError) {
    deps.logger.warn({ reason: error.message }, "movie night: database failed");
    return "Sorry, I couldn't reach my database just now. Please try again in a moment.";
  }
  deps.logger.error(
    {
      err: error instanceof Error ? error.message : String(error),
      code: isMoviebotError(error) ? error.code : undefined,
    },
    "movie night step failed",
  );
  return MESSAGES.apology;
}
