import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { parseMovieId, parseRequest } from "../../../../core/requests/recommend-request.ts";
import { MESSAGES } from "../../../chat/chat-shared.ts";
import { noticeMessage } from "../../blocks.ts";
import { jobFor } from "../../slack-jobs.ts";
import { memberOfAction } from "../../slack-member.ts";
import { clickerPrefs } from "../commands/watch-settings.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { interactionOf } from "./picker-actions.ts";

/** "More like this" on a card: recommendations from that one movie, for the clicker only. */
export function moreLikeThis(
  deps: ListenerDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ body, action, ack, respond }) => {
    await ack();
    const movieId = parseMovieId(action.value);
    if (movieId === null || !deps.cards.movie(movieId)) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage(MESSAGES.movieGone),
      });
      return;
    }
    await deps.submitter.submit(
      jobFor(
        interactionOf(body),
        parseRequest({
          name: "recommend",
          liked: [movieId],
          titles: [],
          limit: deps.resultLimit,
          ...(await clickerPrefs(deps, body)),
          member: memberOfAction(body),
          // One movie's neighbours, not the member's whole profile; their dislikes still stay out.
          useLikes: false,
        }),
        { responseType: "ephemeral", replaceOriginal: false },
      ),
      respond,
    );
  };
}
