import { z } from "zod";
import { MAX_LIKED } from "../../core/cards/card-service.ts";
import type { JobRequest } from "../../core/jobs/job.ts";
import { memberSchema } from "../../core/jobs/job-schema.ts";
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

/** How many cards a Slack reply shows; two blocks each keeps a full reply well under 50 blocks. */
export const DEFAULT_RESULT_LIMIT = 8;
export const MAX_RESULT_LIMIT = 20;

/**
 * "Share to channel" carries the request that produced the cards, not the cards: a button value
 * holds 2000 characters, and re-running the (deterministic) request renders the same cards with
 * fresh poster URLs. Only movie ids, typed titles and a limit: never a token.
 */
const shareValue = z.discriminatedUnion("name", [
  z.object({
    name: z.literal("recommend"),
    liked: z.array(z.number().int().positive()).max(MAX_LIKED),
    titles: z.array(z.string().max(300)).max(MAX_LIKED),
    limit: z.number().int().min(1).max(MAX_RESULT_LIMIT),
    region: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    // The asker's: a shared "Picked for you" re-runs from their likes, without their dislikes.
    member: memberSchema.optional(),
    useLikes: z.boolean().optional(),
  }),
  z.object({
    name: z.literal("popular"),
    limit: z.number().int().min(1).max(MAX_RESULT_LIMIT),
    region: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    member: memberSchema.optional(),
  }),
]);

/** The share button's value, or null when the request does not fit in one (the button is left out). */
export function encodeShareValue(request: JobRequest): string | null {
  const value = JSON.stringify(request);
  return value.length <= LIMITS.buttonValue ? value : null;
}

/** Parses a share button's value; null for anything this app did not write. */
export function decodeShareValue(value: string | undefined): JobRequest | null {
  if (!value) return null;
  try {
    const parsed = shareValue.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A movieId from a button or option value; null for anything else. */
export function parseMovieId(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}
