import type { JobRequest } from "../../core/jobs/job.ts";
import { tryParseRequest } from "../../core/requests/recommend-request.ts";
import { LIMITS } from "./block-limits.ts";

/** action_ids the listeners match on; block_ids are free-form except the picker's, read from state. */
export const ACTIONS = {
  pickMovies: "pick_movies",
  recommendPicked: "recommend_picked",
  popularPicks: "popular_picks",
  moreLikeThis: "more_like_this",
  shareToChannel: "share_to_channel",
  /** Link buttons (trailer, where to watch): Slack still sends block_actions, which we only ack. */
  openTrailer: "open_trailer",
  openWatch: "open_watch",
} as const;

export const PICKER_BLOCK_ID = "movie_picker";

/**
 * "Share to channel" carries the request that produced the cards, not the cards: a button value
 * holds 2000 characters, and re-running the (deterministic) request renders the same cards with
 * fresh poster URLs. Only movie ids, typed titles and a limit: never a token.
 */
/** The share button's value, or null when the request does not fit in one (the button is left out). */
export function encodeShareValue(request: JobRequest): string | null {
  const value = JSON.stringify(request);
  return value.length <= LIMITS.buttonValue ? value : null;
}

/** Parses a share button's value; null for anything this app did not write. */
export function decodeShareValue(value: string | undefined): JobRequest | null {
  if (!value) return null;
  try {
    return tryParseRequest(JSON.parse(value));
  } catch {
    return null;
  }
}
