import type {
  BlockAction,
  ButtonAction,
  Middleware,
  RespondFn,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import type { MovieNight } from "../../../../core/movienight/movie-night.ts";
import { cardLabel } from "../../../chat/chat-shared.ts";
import { saveNightPicks } from "../../../chat/night-picks.ts";
import { noticeMessage } from "../../blocks.ts";
import {
  NIGHT_PICKS,
  nightPickerMessage,
  parseNightId,
  parseVoteValue,
} from "../../movienight-blocks.ts";
import { ACTIONS, PICKER_BLOCK_ID } from "../../slack-ids.ts";
import { memberOfAction } from "../../slack-member.ts";
import type { ListenerDeps, SlackMovieNight } from "../listener-deps.ts";
import { nightFailure } from "../movienight-failures.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
type Handler = (night: SlackMovieNight, args: ButtonArgs & { user: string }) => Promise<void>;

const OUT_OF_DATE = "That button is out of date; start a new movie night with /movienight.";

/** Every movie-night button: ack at once, then the step; failures become a note only the clicker sees. */
function nightButton(deps: ListenerDeps, handle: Handler): Middleware<ButtonArgs> {
  return async (args) => {
    await args.ack();
    const night = deps.movienight;
    if (!night) {
      await privately(args.respond, "Movie nights are off on this bot.");
      return;
    }
    try {
      await handle(night, { ...args, user: args.body.user.id });
    } catch (error) {
      await privately(args.respond, nightFailure(deps, error));
    }
  };
}

async function privately(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, ...noticeMessage(text) });
}

/** "I'm in": joined (the post redrawn), and a member without a profile gets the picker. */
export function joinNight(deps: ListenerDeps): Middleware<ButtonArgs> {
  return nightButton(deps, async (night, { action, respond, user }) => {
    const nightId = parseNightId(action.value);
    if (!nightId) return privately(respond, OUT_OF_DATE);
    const { view, joined, hasProfile } = await night.service.join(nightId, user);
    if (!hasProfile) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...nightPickerMessage(nightId),
      });
    } else if (!joined) {
      await privately(respond, "You're in already. 🍿");
    }
    if (joined) await redrawJoin(night, view.night);
  });
}

/** The picker's Save: three likes stored, and the join post no longer asks for them. */
export function savePicks(deps: ListenerDeps): Middleware<ButtonArgs> {
  return nightButton(deps, async (night, { action, body, respond }) => {
    const nightId = parseNightId(action.value);
    const member = memberOfAction(body);
    if (!nightId || !member) return privately(respond, OUT_OF_DATE);
    const saved = await saveNightPicks(
      deps,
      member,
      (body.state?.values?.[PICKER_BLOCK_ID]?.[ACTIONS.pickMovies]?.selected_options ?? []).map(
        (option) => option.value,
      ),
    );
    if (!saved.saved) {
      await privately(
        respond,
        `Pick ${NIGHT_PICKS} movies you like first (you picked ${saved.picked}), then press Save.`,
      );
      return;
    }
    await respond({
      replace_original: true,
      ...noticeMessage(saved.thanks),
    });
    const current = await night.service.night(nightId);
    await redrawJoin(night, current);
  });
}

/** Cancel: only the starter; the posts say it was cancelled. */
export function cancelNight(deps: ListenerDeps): Middleware<ButtonArgs> {
  return nightButton(deps, async (night, { action, respond, user }) => {
    const nightId = parseNightId(action.value);
    if (!nightId) return privately(respond, OUT_OF_DATE);
    const cancelled = await night.service.cancel(nightId, user);
    await night.publisher.cancelled(cancelled);
  });
}

/** A vote: stored (one per member, changeable), confirmed to the voter, and the poll redrawn. */
export function voteNight(deps: ListenerDeps): Middleware<ButtonArgs> {
  return nightButton(deps, async (night, { action, respond, user }) => {
    const vote = parseVoteValue(action.value);
    if (!vote) return privately(respond, OUT_OF_DATE);
    const { night: current, candidates } = await night.service.vote(
      vote.nightId,
      user,
      vote.movieId,
    );
    const movie = deps.cards.movie(vote.movieId);
    await privately(
      respond,
      `Your vote: ${movie ? cardLabel(movie) : vote.movieId}. Press another film to change it.`,
    );
    await night.publisher.refreshPoll(current, candidates, () => night.service.tally(vote.nightId));
  });
}

async function redrawJoin(night: SlackMovieNight, current: MovieNight): Promise<void> {
  const view = await night.service.view(current);
  await night.publisher.refreshJoin(view, await night.service.scheduleOf(current));
}
