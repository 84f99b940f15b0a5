/**
 * Writes manifests/discord-commands.json from the command builders the handlers use, so what
 * `discord:register` uploads is exactly what the bot answers. A test fails when it is stale.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { commandManifest } from "../bot/discord/commands/index.ts";

export const MANIFEST_PATH = resolve(import.meta.dirname, "../manifests/discord-commands.json");

export function manifestText(): string {
  return `${JSON.stringify(commandManifest(), null, 2)}\n`;
}

if (import.meta.main) {
  await writeFile(MANIFEST_PATH, manifestText());
  console.log(`Wrote ${commandManifest().length} commands to ${MANIFEST_PATH}`);
}
