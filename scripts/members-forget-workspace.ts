/**
 * npm run members:forget-workspace -- <slack|discord> <workspace id> [--dry-run]
 *
 * Deletes every member of one Slack workspace or Discord server from the member database
 * (DATABASE_URL), with their movie nights, as an uninstall does. For what the bot cannot hear:
 * Discord tells HTTP-mode bots nothing when a server removes them, so a server's admin asks and
 * the operator runs this. --dry-run counts the members it would delete and deletes nothing.
 */
import { Command } from "commander";
import pino from "pino";
import { openTasteStore } from "../bot/builders/taste-store-builder.ts";
import { loadConfig } from "../bot/config.ts";
import { memberId, type Platform } from "../core/members/taste-store.ts";

const PLATFORMS = ["slack", "discord"] as const;

async function main(): Promise<void> {
  const program = new Command("members:forget-workspace")
    .argument("<platform>", "slack or discord")
    .argument("<workspace>", "the Slack team id (T…) or the Discord server (guild) id")
    .option("--dry-run", "count what would be deleted, delete nothing")
    .parse();
  const [platform, workspace] = program.args as [string, string];
  if (!(PLATFORMS as readonly string[]).includes(platform)) {
    throw new Error(`platform must be slack or discord, not ${JSON.stringify(platform)}`);
  }
  // Checks the id as every member id is checked before it reaches the database.
  memberId(platform as Platform, workspace, "check");
  const config = loadConfig();
  const store = await openTasteStore(config, pino({ level: "warn" }, pino.destination(2)));
  try {
    const members = (await store.communityLikes(platform as Platform, workspace, 1)).members;
    if (program.opts<{ dryRun?: boolean }>().dryRun) {
      process.stdout.write(
        `-- dry run: would delete the ${platform} workspace ${workspace}'s members (${members} of them have likes) and its movie nights\n`,
      );
      return;
    }
    const rows = await store.forgetWorkspace(platform as Platform, workspace);
    process.stdout.write(`Deleted ${rows} rows of the ${platform} workspace ${workspace}.\n`);
  } finally {
    await store.close();
  }
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `members:forget-workspace failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
