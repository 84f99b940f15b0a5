import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../listener-deps.ts";
import { movienightCommand } from "./movienight-command.ts";
import { recommendCommand } from "./recommend-command.ts";

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command("/recommend", recommendCommand(deps));
  app.command("/movienight", movienightCommand(deps));
}
