import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import { parseMovieId, parseRequest } from "../../../../core/requests/recommend-request.ts";
import { ACTIONS, PICKER_BLOCK_ID } from "../../slack-ids.ts";
import { jobFor } from "../../slack-jobs.ts";
import { memberOfAction } from "../../slack-member.ts";
import { clickerPrefs } from "../commands/watch-settings.ts";
import type { ListenerDeps } from "../listener-deps.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const PRIVATE = { responseType: "ephemeral", replaceOriginal: false } as const;

/** "Recommend": the movies chosen in the picker, read from the message state; none → popular. */
export function recommendPicked(deps: ListenerDeps): Middleware<ButtonArgs> {
  return async ({ body, ack, respond }) => {
    await ack();
    const picked = body.state?.values[PICKER_BLOCK_ID]?.[ACTIONS.pickMovies]?.selected_options;
    const liked = (picked ?? []).flatMap((option) => parseMovieId(option.value) ?? []);
    await deps.submitter.submit(
      jobFor(
        interactionOf(body),
        parseRequest({
          name: "recommend",
          liked,
          titles: [],
          limit: deps.resultLimit,
          ...(await clickerPrefs(deps, body)),
          member: memberOfAction(body),
        }),
        PRIVATE,
      ),
      respond,
    );
  };
}

/** "Popular picks" in the picker: for the asker only; they can share the result. */
export function popularPicks(deps: ListenerDeps): Middleware<ButtonArgs> {
  return async ({ body, ack, respond }) => {
    await ack();
    await deps.submitter.submit(
      jobFor(
        interactionOf(body),
        parseRequest({
          name: "popular",
          limit: deps.resultLimit,
          ...(await clickerPrefs(deps, body)),
          member: memberOfAction(body),
        }),
        PRIVATE,
      ),
      respond,
    );
  };
}

export function interactionOf(body: BlockAction) {
  return { trigger_id: body.trigger_id, response_url: body.response_url, user: body.user.id };
}
