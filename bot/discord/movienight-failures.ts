import { TasteStoreUnavailableError } from "../../core/members/taste-store.ts";
import { MovieNightError } from "../../core/movienight/movie-night.ts";
import { MESSAGES } from "../chat/chat-shared.ts";
import type { DiscordMovieNight } from "./movienight-deps.ts";
import { NightPostError } from "./night-post-error.ts";

/** What the member is told when a movie-night step fails; the log gets the reason. */
export function nightFailure(error: unknown, night: Pick<DiscordMovieNight, "logger">): string {
  if (error instanceof MovieNightError) return error.message;
  if (error instanceof NightPostError) {
    night.logger.warn(
      { status: error.status, code: error.code, what: error.what },
      "movie night: Discord refused a post",
    );
    return error.userMessage;
  }
  if (error instanceof TasteStoreUnavailableError) {
    night.logger.warn({ reason: error.message }, "movie night: database failed");
    return "Sorry, I couldn't reach my database just now. Please try again in a moment.";
  }
  night.logger.error(
    { err: error instanceof Error ? error.message : String(error) },
    "movie night step failed",
  );
  return MESSAGES.apology;
}
