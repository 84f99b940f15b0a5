import { DiscordAPIError, HTTPError } from "@discordjs/rest";

/** What the bot was doing when Discord refused: it decides which permission to name. */
export type NightPostStep = "join" | "posters" | "poll" | "winner" | "notice" | "read" | "edit";

/** Discord's JSON error codes we explain (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;

const WHERE =
  "A server admin can grant it to my role under the channel's settings → Permissions (or Server Settings → Roles).";

/** The permission each step needs beyond seeing the channel. */
const NEEDED: Record<NightPostStep, string> = {
  join: "**Send Messages**",
  notice: "**Send Messages**",
  posters: "**Send Messages** and **Embed Links** (for the posters)",
  winner: "**Send Messages** and **Embed Links** (for the winner's card)",
  poll: "**Send Polls** (and Send Messages) — the vote is a Discord poll",
  read: "**Read Message History** — I read the poll's result at the close",
  edit: "**Send Messages**",
};

/**
 * A movie-night post Discord refused. `userMessage` says, for the channel's members, what is
 * missing; `permission` marks refusals a retry cannot fix (a permission, the channel, the token).
 * The original error is not kept: its URL may hold an interaction token.
 */
export class NightPostError extends Error {
  readonly what: NightPostStep;
  readonly status: number | null;
  readonly code: number | string | null;
  readonly permission: boolean;
  readonly userMessage: string;

  constructor(what: NightPostStep, status: number | null, code: number | string | null) {
    super(
      `Discord refused the movie-night ${what} (${status ?? "no answer"}, code ${code ?? "-"})`,
    );
    this.name = "NightPostError";
    this.what = what;
    this.status = status;
    this.code = code;
    const refused = status === 401 || status === 403 || code === UNKNOWN_CHANNEL;
    this.permission = refused;
    this.userMessage = explain(what, status, code);
  }

  static from(error: unknown, what: NightPostStep): NightPostError {
    if (error instanceof NightPostError) return error;
    if (error instanceof DiscordAPIError) return new NightPostError(what, error.status, error.code);
    if (error instanceof HTTPError) return new NightPostError(what, error.status, null);
    return new NightPostError(what, null, null);
  }
}

function explain(what: NightPostStep, status: number | null, code: number | string | null): string {
  if (status === 401) {
    return "Discord refused my bot token (DISCORD_BOT_TOKEN), so I can't post movie nights; whoever runs the bot must set a valid one.";
  }
  if (code === UNKNOWN_CHANNEL) return "I can't find this channel any more.";
  if (code === MISSING_ACCESS) {
    return `I can't post here: Discord says **Missing Access** — my role needs **View Channel** in this channel (for a private channel, add me to it), and ${NEEDED[what]}. ${WHERE}`;
  }
  if (status === 403 || code === MISSING_PERMISSIONS) {
    return `I can't post here: Discord says **Missing Permissions** — movie nights need ${NEEDED[what]} in this channel. ${WHERE}`;
  }
  return `Discord did not take my movie-night post just now (${status ?? "no answer"}). Please try again in a moment.`;
}
