import type { Request, Response, Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { type CardSet, cardSetJson } from "../../core/cards/card.ts";
import type { CardService } from "../../core/cards/card-service.ts";
import { isMoviebotError, isUserError } from "../../core/errors.ts";
import { computeRequest } from "../../core/jobs/run-job.ts";
import { PICKED_FOR_YOU_MIN_LIKES } from "../../core/members/taste-profile.ts";
import type { MemberId } from "../../core/members/taste-store.ts";
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseRequest,
  type RecommendRequest,
} from "../../core/requests/recommend-request.ts";
import { likedIds, limit, region } from "../http/api-routes.ts";
import { sendJson } from "../http/send-json.ts";

/**
 * The page's recommendations: /api/recommend's query, plus `more=1` for "More like this". Strict:
 * a query naming a member (or anything else) is refused, so the member can only be the cookie's.
 */
const memberRecommendQuery = z.strictObject({
  liked: likedIds,
  limit: limit(DEFAULT_LIMIT, MAX_LIMIT),
  region,
  more: z.literal("1", { error: "more must be 1 (More like this) or absent" }).optional(),
});

/**
 * GET /api/me/recommend: what a Slack or Discord member gets, for the cookie's member. Picks count
 * as likes; the member's likes, dislikes and seen films are left out of the answer; with nothing
 * picked, a member with enough likes gets "Picked for you" from them, anyone else the popular list
 * (the web members' own once they liked enough). Each result carries the member's 👍/👎/Seen
 * it/Watchlist on it. "More like this" (`more=1`) neither remembers the movie nor adds the likes.
 */
export function addMemberRecommendRoutes(
  router: Router,
  deps: {
    cards: CardService;
    /** The cookie's member, issued on the first visit: the only member these routes serve. */
    member: (req: Request, res: Response) => MemberId;
    logger: Logger;
  },
): void {
  const { cards, logger } = deps;

  router.get("/recommend", async (req, res) => {
    const parsed = memberRecommendQuery.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({
        error: parsed.error.issues
          .map((issue) =>
            issue.code === "unrecognized_keys"
              ? `Unknown parameter ${issue.keys.join(", ")}: the member is the cookie's`
              : issue.message,
          )
          .join("; "),
        code: "invalid_input",
      });
      return;
    }
    const { liked, limit: count, region: where, more } = parsed.data;
    if (more && liked.length !== 1) {
      res.status(400).json({ error: "More like this takes one movie", code: "invalid_input" });
      return;
    }
    const member = deps.member(req, res);
    try {
      const request = await requestFor(cards, member, liked, count, where, more !== undefined);
      sendJson(res, memberSetJson(await computeRequest(cards, parseRequest(request))));
    } catch (error) {
      if (isUserError(error)) {
        res.status(400).json({ error: error.message, code: error.code });
      } else if (
        isMoviebotError(error) &&
        (error.code === "backend_timeout" || error.code === "backend_unavailable")
      ) {
        logger.warn({ err: error }, "web member: recommendation backend unavailable");
        res.status(503).json({
          error: "The recommendation backend is unavailable; try again shortly.",
          code: "backend_unavailable",
        });
      } else throw error;
    }
  });
}

/** Nothing picked: "Picked for you" once the member liked enough (as in Slack and Discord). */
async function requestFor(
  cards: CardService,
  member: MemberId,
  liked: number[],
  count: number,
  where: string | undefined,
  more: boolean,
): Promise<RecommendRequest> {
  const common = { limit: count, region: where, member };
  if (liked.length > 0) {
    return {
      name: "recommend",
      liked,
      titles: [],
      ...common,
      ...(more ? { useLikes: false } : {}),
    };
  }
  const profile = await cards.profile(member);
  const likes = profile?.likes.filter((id) => cards.movie(id) !== undefined) ?? [];
  return likes.length >= PICKED_FOR_YOU_MIN_LIKES
    ? { name: "recommend", liked: [], titles: [], ...common }
    : { name: "popular", ...common };
}

/** The API's JSON, with the member's controls on each result and whose list it is. */
function memberSetJson(set: CardSet) {
  const json = cardSetJson(set);
  return {
    ...json,
    results: json.results.map((result, i) => ({ ...result, taste: set.cards[i]?.taste ?? null })),
    pickedForYou: set.pickedForYou === true,
    popularSource: set.popularSource ?? (set.strategy === "popular" ? "movielens" : null),
  };
}
