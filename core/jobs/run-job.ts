import type { CardSet } from "../cards/card.ts";
import type { CardService } from "../cards/card-service.ts";
import { isUserError } from "../errors.ts";
import { MESSAGES } from "../messages.ts";
import type { Job, JobRequest, JobResult, ReplyDeliverer, ReplyTarget } from "./job.ts";

export type Deliverers = {
  [P in ReplyTarget["platform"]]?: ReplyDeliverer<Extract<ReplyTarget, { platform: P }>>;
};

/**
 * Computes a request's cards with the core. Pure of delivery, so a worker can retry delivery alone;
 * the signal lets an inline attempt stop when its time budget ends.
 */
export async function computeRequest(
  cards: CardService,
  request: JobRequest,
  options: { signal?: AbortSignal } = {},
): Promise<JobResult> {
  const cardOptions = {
    ...options,
    region: request.region,
    services: request.services,
    onlyMine: request.onlyMine,
  };
  // Excluded movies are asked for beyond the limit, then dropped.
  const exclude = new Set(request.exclude ?? []);
  const ask = request.limit + exclude.size;
  const keep = <T extends CardSet>(set: T): T => ({
    ...set,
    cards: set.cards.filter((card) => !exclude.has(card.movieId)).slice(0, request.limit),
  });
  switch (request.name) {
    case "popular":
      return {
        ...keep(await cards.popular(ask, { ...cardOptions, member: request.member })),
        unresolved: [],
        request,
      };
    case "recommend": {
      const resolved = await cards.resolveTitles(request.titles, options);
      const liked = [...request.liked, ...resolved.movies.map((m) => m.movieId)];
      const member = request.member;
      const useLikes = request.useLikes !== false;
      // Picks teach: what was picked from a menu, and typed titles only when the match was certain.
      if (useLikes) await cards.rememberPicks(member, [...request.liked, ...resolved.confident]);
      const set = keep(await cards.recommend(liked, ask, { ...cardOptions, member, useLikes }));
      return { ...set, unresolved: resolved.unresolved, matches: resolved.matches, request };
    }
  }
}

export function computeJob(cards: CardService, job: Job): Promise<JobResult> {
  return computeRequest(cards, job.request);
}

export function delivererFor(deliverers: Deliverers, target: ReplyTarget): ReplyDeliverer {
  const deliverer = deliverers[target.platform];
  if (!deliverer) throw new Error(`No deliverer configured for ${target.platform}`);
  return deliverer as ReplyDeliverer;
}

/** Runs a job end to end: compute, deliver, and on failure apologise rather than fall silent. */
export async function runJob(cards: CardService, deliverers: Deliverers, job: Job): Promise<void> {
  const deliverer = delivererFor(deliverers, job.reply);
  let result: JobResult;
  try {
    result = await computeJob(cards, job);
  } catch (error) {
    await deliverer.apologize(job.reply, apologyFor(error));
    return;
  }
  await deliverer.deliver(job.reply, result);
}

export function apologyFor(error: unknown): string {
  return isUserError(error) ? error.message : MESSAGES.apology;
}
