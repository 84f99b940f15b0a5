import type {
  APIApplicationCommandOptionChoice,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CardService } from "../../../core/cards/card-service.ts";
import type { JobRequest } from "../../../core/jobs/job.ts";
import type { MemberId, TasteStore } from "../../../core/members/taste-store.ts";
import type { MovieSearch } from "../../../core/search/movie-search.ts";
import type { MessagePayload } from "../embeds.ts";
import type { OptionValues } from "../interaction-input.ts";
import type { DiscordMovieNight } from "../movienight-deps.ts";

/** What a command needs from the app; the interaction handler passes it in. */
export interface CommandContext {
  cards: CardService;
  search: MovieSearch;
  /** Who asked (server + user), when Discord said; their profile, region and services shape the answer. */
  member?: MemberId;
  /** The member's client language ("pt-BR"): the region when they set none. */
  locale?: string | null;
  /** The member database (settings, /watchlist, /export, /forget-me); absent: no member data. */
  taste?: TasteStore;
  /** Movie nights (/movienight); absent: they are off on this bot. */
  movienight?: DiscordMovieNight;
  /** The channel the command came from. */
  channelId?: string | null;
}

/**
 * What a command decided to do. The central handler carries it out: "compute" runs inline when it
 * fits the time budget, otherwise it is deferred and goes through the job queue.
 */
export type CommandPlan =
  | { kind: "compute"; request: JobRequest; ephemeral: boolean }
  | { kind: "reply"; message: MessagePayload; ephemeral: boolean }
  /**
   * Work that posts with the bot token (a movie night): answered "thinking…" at once, then the
   * reply is the message `work` returns, so a slow post never costs Discord's 3 seconds.
   */
  | { kind: "defer"; ephemeral: boolean; work: () => Promise<MessagePayload> };

/** One slash command, as in the discord.js guide: its builder data, execute, optional autocomplete. */
export interface SlashCommand {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(options: OptionValues, context: CommandContext): Promise<CommandPlan> | CommandPlan;
  autocomplete?(
    focused: { name: string; value: string },
    options: OptionValues,
    context: CommandContext & { signal: AbortSignal },
  ): Promise<APIApplicationCommandOptionChoice<string>[]>;
}
