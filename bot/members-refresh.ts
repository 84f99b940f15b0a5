import type { Logger } from "pino";
import type { MemberLike, TasteStore } from "../core/members/taste-store.ts";
import type { Recommender } from "../core/recommend/recommender.ts";

/**
 * Folds members' likes into the embedded recommender's data: once the server is ready (the bot
 * answers meanwhile from the snapshot's recommender, members' own likes still applied to their
 * requests) and every MEMBERS_REFRESH_MINUTES. `build` keeps the costly part off the event loop. A
 * member who chose "forget me" drops out at the next run; a run whose likes are the last run's
 * builds nothing. A failed run keeps the previous recommender.
 */
export function startMembersRefresh(deps: {
  store: TasteStore;
  build: (likes: readonly MemberLike[]) => Promise<Recommender>;
  swap: (recommender: Recommender) => void;
  minutes: number;
  logger: Logger;
}): { stop(): void; refresh(): Promise<void> } {
  // The likes the served recommender was built with ("" for MovieLens alone).
  let folded = "";
  let running: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    running ??= (async () => {
      try {
        const likes = await deps.store.allLikes();
        // The same likes as the recommender served (none at all: MovieLens alone): nothing to do.
        const key = likes.map((like) => `${like.member}:${like.movieId}`).join(",");
        if (key === folded) return;
        const started = performance.now();
        deps.swap(await deps.build(likes));
        folded = key;
        deps.logger.info(
          { likes: likes.length, ms: Math.round(performance.now() - started) },
          "members' likes folded into the recommender",
        );
      } catch (error) {
        deps.logger.warn(
          { reason: (error as Error).message },
          "members' likes not folded; keeping the previous recommender",
        );
      } finally {
        running = null;
      }
    })();
    return running;
  };
  void refresh();
  const timer = setInterval(() => void refresh(), deps.minutes * 60_000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    refresh,
  };
}
