import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "./command.ts";
import { exportData, forgetMe, watchlist } from "./member-commands.ts";
import { movienight } from "./movienight.ts";
import { popular } from "./popular.ts";
import { recommend } from "./recommend.ts";
import { region, services } from "./watch-settings.ts";

/** Every slash command, by name. Registration and dispatch both read this list. */
export const commands: ReadonlyMap<string, SlashCommand> = new Map(
  [recommend, popular, movienight, region, services, watchlist, exportData, forgetMe].map(
    (command) => [command.data.name, command],
  ),
);

/** The JSON registered with Discord (manifests/discord-commands.json holds the same). */
export function commandManifest(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...commands.values()].map((command) => command.data.toJSON());
}
