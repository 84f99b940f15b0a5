import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  Routes,
} from "discord.js";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { SharedCardsStore } from "../../core/cards/shared-cards-store.ts";
import type { JobQueue } from "../../core/jobs/job.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import { deliveryErrorFromRest } from "./delivery-errors.ts";
import { DiscordDeliverer } from "./discord-deliverer.ts";
import { type DiscordBudgets, DiscordInteractionHandler } from "./interaction-handler.ts";
import {
  type DiscordInput,
  flattenOptions,
  type InteractionMeta,
  type OptionLike,
  optionRecord,
} from "./interaction-input.ts";
import type { DiscordMovieNight } from "./movienight-deps.ts";

/** What either transport (HTTP endpoint or gateway) needs to answer interactions. */
export interface DiscordTransportDeps {
  botToken: string;
  /** DISCORD_API_URL: REST base for tests and proxies. */
  apiUrl?: string;
  cards: CardService;
  search: MovieSearch;
  jobs: JobQueue;
  /** Where private results' cards wait for "Share to channel" (the deliverer keeps them there). */
  shared: SharedCardsStore;
  /** The member database (clicks on 👍 / 👎, region, services); absent: nothing is remembered. */
  taste?: TasteStore;
  logger: Logger;
  budgets?: Partial<DiscordBudgets>;
  /** MEMBERS_REFRESH_MINUTES, or null with BigQuery: what "forget me" says about others' answers. */
  refreshMinutes?: number | null;
  /** Movie nights (/movienight and its buttons); absent: they are off. */
  movienight?: DiscordMovieNight;
}

/** Adapts a discord.js interaction to the handler's input, as fromApiInteraction does for HTTP. */
export function fromDiscordJsInteraction(
  interaction: Interaction,
  receivedAt: number,
): DiscordInput {
  const meta: InteractionMeta = {
    id: interaction.id,
    token: interaction.token,
    applicationId: interaction.applicationId,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    locale: interaction.locale,
    receivedAt,
  };
  if (interaction.isAutocomplete()) {
    const options = flattenOptions(interaction.options.data as readonly OptionLike[]);
    const focused = options.find((o) => o.focused) ?? { name: "", value: "" };
    return {
      kind: "autocomplete",
      meta,
      command: interaction.commandName,
      options: optionRecord(options),
      focused: { name: focused.name, value: focused.value },
    };
  }
  if (interaction.isChatInputCommand()) {
    const options = flattenOptions(interaction.options.data as readonly OptionLike[]);
    return {
      kind: "command",
      meta,
      command: interaction.commandName,
      options: optionRecord(options),
    };
  }
  if (interaction.isMessageComponent()) {
    return {
      kind: "component",
      meta,
      customId: interaction.customId,
      values: interaction.isStringSelectMenu() ? interaction.values : [],
      messageComponents: interaction.message.components.map(
        (row) => row.toJSON() as APIActionRowComponent<APIComponentInMessageActionRow>,
      ),
      messageEphemeral: interaction.message.flags.has("Ephemeral"),
    };
  }
  return { kind: "unsupported", meta, type: interaction.type };
}

/**
 * DISCORD_MODE=gateway: for machines without a public URL. A discord.js Client receives the
 * interactions over the gateway and feeds them to the same handler as the HTTP endpoint; the
 * response goes to the interaction callback endpoint, which is what the HTTP reply would have been.
 */
export class DiscordGateway {
  readonly client: Client;
  private readonly handler: DiscordInteractionHandler;
  private readonly logger: Logger;
  private readonly botToken: string;

  constructor(deps: DiscordTransportDeps) {
    this.botToken = deps.botToken;
    this.logger = deps.logger.child({ transport: "discord-gateway" });
    // Interactions need no privileged intents; Guilds keeps channel objects resolvable.
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      ...(deps.apiUrl ? { rest: { api: deps.apiUrl } } : {}),
    });
    this.handler = new DiscordInteractionHandler({
      cards: deps.cards,
      search: deps.search,
      jobs: deps.jobs,
      shared: deps.shared,
      taste: deps.taste,
      logger: deps.logger,
      fallback: new DiscordDeliverer({ rest: this.client.rest }),
      budgets: deps.budgets,
      refreshMinutes: deps.refreshMinutes,
      ...(deps.movienight ? { movienight: deps.movienight } : {}),
    });
    this.client.on(Events.InteractionCreate, (interaction) => {
      void this.dispatch(interaction);
    });
    this.client.on(Events.Error, (error) => this.logger.error({ err: error }, "gateway error"));
    // Removed from a server (an outage is GuildUnavailable instead): its members' data goes.
    this.client.on(Events.GuildDelete, (guild) => {
      if (!deps.taste) return;
      deps.taste.forgetWorkspace("discord", guild.id).then(
        (rows) => this.logger.info({ rows }, "server's members forgotten"),
        (error: unknown) =>
          this.logger.error({ err: (error as Error).message }, "could not forget a server"),
      );
    });
  }

  /** Handles one interaction end to end; resolves once the response and follow-up work are done. */
  async dispatch(interaction: Interaction): Promise<void> {
    const input = fromDiscordJsInteraction(interaction, Date.now());
    try {
      const outcome = await this.handler.handle(input);
      await this.client.rest.post(Routes.interactionCallback(input.meta.id, input.meta.token), {
        body: outcome.response,
        auth: false,
      });
      await outcome.afterResponse?.();
    } catch (error) {
      // Classified: the raw REST error's URL carries the interaction token.
      const err = deliveryErrorFromRest(error);
      this.logger.error({ err, interactionId: input.meta.id }, "gateway dispatch failed");
    }
  }

  async start(): Promise<void> {
    await this.client.login(this.botToken);
    this.logger.info({ user: this.client.user?.tag }, "connected to the Discord gateway");
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }
}
