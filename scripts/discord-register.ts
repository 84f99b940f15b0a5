/**
 * `npm run discord:register`: uploads manifests/discord-commands.json with a bulk overwrite (PUT),
 * globally or, with DISCORD_GUILD_ID, to one guild (guild commands update at once; global ones
 * can take a while to reach every client).
 */
import { readFile } from "node:fs/promises";
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { ConfigError, loadSettings } from "../bot/config.ts";
import { createDiscordRest } from "../bot/discord/rest-client.ts";
import { MANIFEST_PATH } from "./discord-manifest.ts";

export interface Registration {
  scope: "global" | "guild";
  names: string[];
}

export async function registerCommands(options: {
  rest: REST;
  applicationId: string;
  guildId?: string;
  commands: unknown[];
}): Promise<Registration> {
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await options.rest.put(route, { body: options.commands })) as {
    name: string;
  }[];
  return { scope: options.guildId ? "guild" : "global", names: registered.map((c) => c.name) };
}

async function main(): Promise<void> {
  const config = loadSettings();
  if (!config.DISCORD_APPLICATION_ID || !config.DISCORD_BOT_TOKEN) {
    throw new ConfigError(
      "Set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (Developer Portal → your app) to register commands.",
    );
  }
  const commands = JSON.parse(await readFile(MANIFEST_PATH, "utf8")) as unknown[];
  const rest = createDiscordRest({
    botToken: config.DISCORD_BOT_TOKEN,
    apiUrl: config.DISCORD_API_URL,
  });
  const result = await registerCommands({
    rest,
    applicationId: config.DISCORD_APPLICATION_ID,
    guildId: config.DISCORD_GUILD_ID,
    commands,
  });
  const where = result.scope === "guild" ? `to guild ${config.DISCORD_GUILD_ID}` : "globally";
  console.log(`Registered ${result.names.map((n) => `/${n}`).join(", ")} ${where}.`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    // Only the message: a REST error object would print the request, bot token header included.
    console.error(`discord:register failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
