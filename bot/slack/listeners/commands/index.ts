import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../listener-deps.ts";
import { recommendCommand } from "./recommend-command.ts";

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command("/recommend", recommendCommand(deps));
}
