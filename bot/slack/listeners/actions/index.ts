import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { TASTE_ACTION } from "../../feedback-blocks.ts";
import { MEMBER_ACTIONS } from "../../member-blocks.ts";
import { NIGHT_ACTIONS } from "../../movienight-blocks.ts";
import { ACTIONS } from "../../slack-ids.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { forgetCancel, forgetConfirm, removeFromWatchlist } from "./member-actions.ts";
import { moreLikeThis } from "./more-like-this-action.ts";
import { cancelNight, joinNight, savePicks, voteNight } from "./movienight-actions.ts";
import { popularPicks, recommendPicked } from "./picker-actions.ts";
import { shareToChannel } from "./share-action.ts";
import { tasteAction } from "./taste-action.ts";

export function registerActions(app: App, deps: ListenerDeps): void {
  const button = (actionId: string) => ({ type: "block_actions" as const, action_id: actionId });
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.recommendPicked), recommendPicked(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.popularPicks), popularPicks(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.moreLikeThis), moreLikeThis(deps));
  app.action<BlockAction<ButtonAction>>(button(ACTIONS.shareToChannel), shareToChannel(deps));
  // Link buttons open in the browser, but Slack still reports the click: acknowledge, nothing more.
  for (const link of [ACTIONS.openTrailer, ACTIONS.openWatch]) {
    app.action({ type: "block_actions", action_id: link }, async ({ ack }) => {
      await ack();
    });
  }
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: TASTE_ACTION },
    tasteAction(deps),
  );
  app.action<BlockAction<ButtonAction>>(
    button(MEMBER_ACTIONS.removeFromWatchlist),
    removeFromWatchlist(deps),
  );
  app.action<BlockAction<ButtonAction>>(button(MEMBER_ACTIONS.forgetConfirm), forgetConfirm(deps));
  app.action<BlockAction<ButtonAction>>(button(MEMBER_ACTIONS.forgetCancel), forgetCancel());
  app.action<BlockAction<ButtonAction>>(button(NIGHT_ACTIONS.join), joinNight(deps));
  app.action<BlockAction<ButtonAction>>(button(NIGHT_ACTIONS.cancel), cancelNight(deps));
  app.action<BlockAction<ButtonAction>>(button(NIGHT_ACTIONS.vote), voteNight(deps));
  app.action<BlockAction<ButtonAction>>(button(NIGHT_ACTIONS.savePicks), savePicks(deps));
  // Choosing in the picker sends block_actions too; the choice is read from state on "Recommend".
  app.action({ type: "block_actions", action_id: ACTIONS.pickMovies }, async ({ ack }) => {
    await ack();
  });
}
