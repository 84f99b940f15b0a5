import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { movieLabel } from "../../../../core/catalog/movie.ts";
import { forgottenNotice } from "../../../../core/members/member-export.ts";
import { movieIdsOf } from "../../../../core/members/taste-store.ts";
import { parseMovieId } from "../../../../core/requests/recommend-request.ts";
import { noticeMessage } from "../../blocks.ts";
import { watchlistMessage } from "../../member-blocks.ts";
import { memberOfAction } from "../../slack-member.ts";
import type { ListenerDeps } from "../listener-deps.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const NOT_SAVED = "Sorry, I couldn't reach my memory just now. Please try again in a moment.";

/** The watchlist as a message, newest first. */
export async function watchlistView(
  deps: ListenerDeps,
  member: Parameters<ListenerDeps["taste"]["entries"]>[0],
) {
  const entries = await deps.taste.entries(member);
  return watchlistMessage(
    movieIdsOf(entries, "watchlist").flatMap((movieId) => {
      const movie = deps.cards.movie(movieId);
      return movie ? [{ movieId, label: movieLabel(movie) }] : [];
    }),
  );
}

/** "Remove" on the watchlist: the film leaves it, and the list is drawn again. */
export function removeFromWatchlist(deps: ListenerDeps): Middleware<ButtonArgs> {
  return async ({ body, action, ack, respond }) => {
    await ack();
    const member = memberOfAction(body);
    const movieId = parseMovieId(action.value);
    if (!member || movieId === null) return;
    try {
      await deps.taste.mark(member, movieId, "watchlist", false);
      await respond({ replace_original: true, ...(await watchlistView(deps, member)) });
    } catch (error) {
      deps.logger.warn({ reason: (error as Error).message }, "watchlist change not saved");
      await respond({ replace_original: false, ...noticeMessage(NOT_SAVED) });
    }
  };
}

/** "Forget me", confirmed: every row about the member goes, in one transaction. */
export function forgetConfirm(deps: ListenerDeps): Middleware<ButtonArgs> {
  return async ({ body, ack, respond }) => {
    await ack();
    const member = memberOfAction(body);
    if (!member) return;
    try {
      const deleted = await deps.taste.forget(member);
      deps.logger.info({ rows: deleted }, "member forgotten");
      await respond({
        replace_original: true,
        ...noticeMessage(forgottenNotice(deleted, deps.refreshMinutes)),
      });
    } catch (error) {
      deps.logger.warn({ reason: (error as Error).message }, "forget me failed");
      await respond({ replace_original: false, ...noticeMessage(NOT_SAVED) });
    }
  };
}

export function forgetCancel(): Middleware<ButtonArgs> {
  return async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, ...noticeMessage("Nothing was deleted.") });
  };
}
