import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ApplicationCommandOptionType,
} from "discord-api-types/v10";

/**
 * What the handlers need from an interaction, whichever transport brought it: the HTTP endpoint
 * (raw API JSON) or the gateway (a discord.js object). Both adapt to this shape, so one handler
 * serves both.
 */
export interface InteractionMeta {
  id: string;
  /** Per-interaction webhook token, valid 15 minutes. */
  token: string;
  applicationId: string;
  userId: string | null;
  /** The server it came from; null in DMs. */
  guildId?: string | null;
  /** The channel it came from (where a movie night is posted). */
  channelId?: string | null;
  /** The member's client language, e.g. "pt-BR": a default region where it names a country. */
  locale?: string | null;
  /** Epoch ms the interaction reached us. */
  receivedAt: number;
}

/** Option values as strings; movie options are strings, other kinds are stringified. */
export type OptionValues = Record<string, string>;

export type DiscordInput =
  | { kind: "command"; meta: InteractionMeta; command: string; options: OptionValues }
  | {
      kind: "autocomplete";
      meta: InteractionMeta;
      command: string;
      options: OptionValues;
      focused: { name: string; value: string };
    }
  | {
      kind: "component";
      meta: InteractionMeta;
      customId: string;
      /** Selected values of a select menu; empty for a button. */
      values: string[];
      /** Rows of that message, and whether only the clicker sees it (a 👍 redraws its row). */
      messageComponents?: APIActionRowComponent<APIComponentInMessageActionRow>[];
      messageEphemeral?: boolean;
    }
  | { kind: "unsupported"; meta: InteractionMeta; type: number };

export interface FlatOption {
  name: string;
  value: string;
  focused: boolean;
}

/** The option shape raw API JSON and discord.js's CommandInteractionOption have in common. */
export interface OptionLike {
  name: string;
  type: number;
  value?: unknown;
  focused?: boolean;
  options?: readonly OptionLike[];
}

/** The option under which a subcommand's name is kept (`/movienight schedule` → "schedule"). */
export const SUBCOMMAND = "subcommand";

/**
 * Flattens options, descending into subcommands, so commands read `options.movie1`; the
 * subcommand's own name is kept as `options.subcommand`.
 */
export function flattenOptions(options: readonly OptionLike[] | undefined): FlatOption[] {
  const flat: FlatOption[] = [];
  for (const option of options ?? []) {
    if (
      option.type === ApplicationCommandOptionType.Subcommand ||
      option.type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      if (option.type === ApplicationCommandOptionType.Subcommand) {
        flat.push({ name: SUBCOMMAND, value: option.name, focused: false });
      }
      flat.push(...flattenOptions(option.options));
    } else if (option.value !== undefined && option.value !== null) {
      flat.push({
        name: option.name,
        value: String(option.value),
        focused: option.focused === true,
      });
    }
  }
  return flat;
}

export function optionRecord(options: readonly { name: string; value: string }[]): OptionValues {
  return Object.fromEntries(options.map((o) => [o.name, o.value]));
}
