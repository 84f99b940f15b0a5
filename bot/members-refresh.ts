import type { Logger } from "pino";
import type { Catalog } from "../core/catalog/catalog.ts";
import { foldMemberLikes } from "../core/members/member-ratings.ts";
import type { TasteStore } from "../core/members/taste-store.ts";
import type { Recommender } from "../core/recommend/recommender.ts";

/**
 * Folds members' likes into the embedded recommender's data: at start-up (in the background, so
 * the bot answers meanwhile from MovieLens alone) and every MEMBERS_REFRESH_MINUTES. A member who
 * chose "forget me" drops out at the next run. A failed run keeps the previous recommender.
 */
export function startMembersRefresh(deps: {
  store: TasteStore;
  catalog: Catalog;
  build: (catalog: Catalog) => Promise<Recommender>;
  swap: (recommender: Recommender) => void;
  minutes: number;
  logger: Logger;
}): { stop(): void; refresh(): Promise<void> } {
  let folded = 0;
  let running: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    running ??= (async () => {
      try {
        const likes = await deps.store.allLikes();
        // Nothing to fold and nothing folded before: MovieLens alone is already served.
        if (likes.length === 0 && folded === 0) return;
        const started = performance.now();
        deps.swap(await deps.build(foldMemberLikes(deps.catalog, likes)));
        folded = likes.length;
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
