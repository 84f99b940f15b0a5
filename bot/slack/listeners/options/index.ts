import type { App } from "@slack/bolt";
import { ACTIONS } from "../../slack-ids.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { movieOptions } from "./movie-options.ts";

export function registerOptions(app: App, deps: ListenerDeps): void {
  app.options({ type: "block_suggestion", action_id: ACTIONS.pickMovies }, movieOptions(deps));
}
