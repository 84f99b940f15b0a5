import {
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  InteractionResponseType,
  MessageFlags,
} from "discord-api-types/v10";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { SharedCardsStore } from "../../core/cards/shared-cards-store.ts";
import type { Job, JobQueue, ReplyDeliverer } from "../../core/jobs/job.ts";
import { apologyFor, computeRequest } from "../../core/jobs/run-job.ts";
import { type MemberId, memberId, type TasteStore } from "../../core/members/taste-store.ts";
import { UnavailableTasteStore } from "../../core/members/unavailable-taste-store.ts";
import { parseRequest } from "../../core/requests/recommend-request.ts";
import type { MovieSearch } from "../../core/search/movie-search.ts";
import { isUserError, MESSAGES, withinBudget } from "../chat/chat-shared.ts";
import { type Sharing, sharedCards, shareIdFor } from "../chat/share-cards.ts";
import { settingsOf, watchPrefs } from "../watch-prefs.ts";
import type { CommandContext, CommandPlan } from "./commands/command.ts";
import { commands as allCommands } from "./commands/index.ts";
import { planComponent } from "./components.ts";
import { parseShareCustomId } from "./custom-ids.ts";
import type { DiscordTarget } from "./discord-deliverer.ts";
import {
  type MessagePayload,
  renderNotice,
  renderResult,
  renderShared,
  renderWithShare,
} from "./embeds.ts";
import type { DiscordInput, InteractionMeta } from "./interaction-input.ts";
import { memberClick } from "./member-clicks.ts";
import { nightClick } from "./movienight-clicks.ts";
import type { DiscordMovieNight } from "./movienight-deps.ts";
import { tasteClick } from "./taste-click.ts";

export interface DiscordBudgets {
  /** Discord waits 3 s for the first response; past this we defer and hand over to the queue. */
  inlineMs: number;
  /** Autocomplete has no deferral: answer within 2.5 s with whatever we have. */
  autocompleteMs: number;
}

export const DEFAULT_BUDGETS: DiscordBudgets = { inlineMs: 2000, autocompleteMs: 2000 };

/** What to answer Discord, and what to do once that answer has been sent. */
export interface InteractionOutcome {
  response: APIInteractionResponse;
  /** Work that must start only after Discord has the deferral (it edits the deferred message). */
  afterResponse?: () => Promise<void>;
}

export interface DiscordHandlerDeps {
  cards: CardService;
  search: MovieSearch;
  jobs: JobQueue;
  /** The cards private results showed, under the ids their Share buttons carry. */
  shared: SharedCardsStore;
  /** The member database (clicks on 👍 / 👎, region, services); absent: nothing is remembered. */
  taste?: TasteStore;
  /**
   * MEMBERS_REFRESH_MINUTES: "forget me" says when others' recommendations lose the member; null
   * with BigQuery (learns at the operator's next bigquery:sync-members).
   */
  refreshMinutes?: number | null;
  logger: Logger;
  /** Used only to apologise in the deferred message when a job cannot even be queued. */
  fallback: ReplyDeliverer<DiscordTarget> & {
    /** Replaces the deferred message with any message (a movie night's answer). */
    show?(target: DiscordTarget, message: MessagePayload): Promise<void>;
  };
  /** Movie nights (/movienight and its buttons); absent: they are off. */
  movienight?: DiscordMovieNight;
  budgets?: Partial<DiscordBudgets>;
  commands?: typeof allCommands;
}

/**
 * The one place that talks to Discord's clock: every interaction, from either transport, comes
 * here. Commands only decide what to do; this handler decides inline vs deferred, enforces the
 * budgets, and turns every failure into a reply the user sees.
 */
export class DiscordInteractionHandler {
  private readonly deps: DiscordHandlerDeps;
  private readonly budgets: DiscordBudgets;
  private readonly commands: typeof allCommands;
  /** Last good choices per query, served when the search backend misses the budget. */
  private readonly choiceCache = new LRUCache<string, APIApplicationCommandOptionChoice<string>[]>({
    max: 1000,
    ttl: 10 * 60 * 1000,
  });

  private readonly taste: TasteStore;
  private readonly sharing: Sharing;

  constructor(deps: DiscordHandlerDeps) {
    this.deps = deps;
    this.sharing = { store: deps.shared, logger: deps.logger };
    this.taste = deps.taste ?? new UnavailableTasteStore("no member database");
    this.budgets = { ...DEFAULT_BUDGETS, ...deps.budgets };
    this.commands = deps.commands ?? allCommands;
  }

  private get context(): CommandContext {
    return {
      cards: this.deps.cards,
      search: this.deps.search,
      taste: this.deps.taste,
      ...(this.deps.movienight ? { movienight: this.deps.movienight } : {}),
    };
  }

  /** "More like…" answers the clicker: in their region, their services first. */
  private async withWatchPrefs(meta: InteractionMeta, plan: CommandPlan): Promise<CommandPlan> {
    if (plan.kind !== "compute") return plan;
    const settings = await settingsOf(this.deps.taste, discordMember(meta));
    return {
      ...plan,
      request: parseRequest({ ...plan.request, ...watchPrefs(settings, { locale: meta.locale }) }),
    };
  }

  /** The context of one member's command: who they are and their language. */
  private memberContext(meta: InteractionMeta): CommandContext {
    const member = discordMember(meta);
    return {
      ...this.context,
      ...(member ? { member } : {}),
      locale: meta.locale ?? null,
      channelId: meta.channelId ?? null,
    };
  }

  async handle(input: DiscordInput): Promise<InteractionOutcome> {
    try {
      switch (input.kind) {
        case "autocomplete":
          return await this.autocomplete(input);
        case "command": {
          const command = this.commands.get(input.command);
          if (!command) {
            return reply(
              renderNotice(
                `I don't know the command /${input.command}. Try /recommend or /popular.`,
              ),
              true,
            );
          }
          return await this.carryOut(
            input.meta,
            await command.execute(input.options, this.memberContext(input.meta)),
          );
        }
        case "component": {
          const member = discordMember(input.meta);
          const deps = { cards: this.deps.cards, taste: this.taste, logger: this.deps.logger };
          const click =
            (await nightClick(input, member, this.deps.movienight, deps)) ??
            (await tasteClick(input, member, deps)) ??
            (await memberClick(input.customId, member, {
              ...deps,
              refreshMinutes:
                this.deps.refreshMinutes === undefined ? 1440 : this.deps.refreshMinutes,
            }));
          if (click) return click;
          const shareId = parseShareCustomId(input.customId);
          if (shareId !== null) return await this.share(shareId, input.meta);
          return await this.carryOut(
            input.meta,
            await this.withWatchPrefs(input.meta, planComponent(input, this.deps.cards)),
          );
        }
        case "unsupported":
          return reply(renderNotice("This kind of interaction is not supported."), true);
      }
    } catch (error) {
      this.deps.logger.error(
        { err: error, interactionId: input.meta.id },
        "discord handler failed",
      );
      if (input.kind === "autocomplete") return choices([]);
      return reply(renderNotice(apologyFor(error)), true);
    }
  }

  private async autocomplete(
    input: Extract<DiscordInput, { kind: "autocomplete" }>,
  ): Promise<InteractionOutcome> {
    const suggest = this.commands.get(input.command)?.autocomplete;
    if (!suggest) return choices([]);
    const key = `${input.command}\u0000${input.focused.value.trim().toLowerCase()}`;
    const outcome = await withinBudget(this.budgets.autocompleteMs, (signal) =>
      suggest(input.focused, input.options, { ...this.context, signal }),
    );
    if (outcome.status === "done") {
      this.choiceCache.set(key, outcome.value);
      return choices(outcome.value);
    }
    this.deps.logger.warn(
      { interactionId: input.meta.id, outcome: outcome.status },
      "discord autocomplete missed its budget; answering from cache",
    );
    return choices(this.choiceCache.get(key) ?? []);
  }

  /** "Share to channel": the kept cards, posted for everyone; an expired id says so privately. */
  private async share(shareId: string, meta: InteractionMeta): Promise<InteractionOutcome> {
    const found = await sharedCards(this.sharing, shareId);
    return found.kind === "found"
      ? reply(renderShared(found.cards, meta.userId), false)
      : reply(renderNotice(found.message), true);
  }

  /** Inline when the result is ready within the budget, else a deferral and a queued job. */
  private async carryOut(meta: InteractionMeta, plan: CommandPlan): Promise<InteractionOutcome> {
    if (plan.kind === "reply") return reply(plan.message, plan.ephemeral);
    if (plan.kind === "defer") return this.deferred(meta, plan);
    const outcome = await withinBudget(this.budgets.inlineMs, (signal) =>
      computeRequest(this.deps.cards, plan.request, { signal }),
    );
    if (outcome.status === "done") {
      const message = plan.ephemeral
        ? await renderWithShare(outcome.value, (shown) => shareIdFor(this.sharing, shown))
        : renderResult(outcome.value, { shareId: null });
      return reply(message, plan.ephemeral);
    }
    if (outcome.status === "failed") {
      if (!isUserError(outcome.error)) {
        this.deps.logger.error(
          { err: outcome.error, interactionId: meta.id },
          "discord compute failed",
        );
      }
      return reply(renderNotice(apologyFor(outcome.error)), true);
    }
    const job: Job = {
      id: meta.id,
      request: plan.request,
      reply: {
        platform: "discord",
        applicationId: meta.applicationId,
        interactionToken: meta.token,
        ephemeral: plan.ephemeral,
      },
      receivedAt: meta.receivedAt,
    };
    return {
      response: {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        ...(plan.ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
      },
      afterResponse: () => this.enqueue(job),
    };
  }

  /** "Thinking…" now; the work's message replaces it through the interaction's webhook. */
  private deferred(
    meta: InteractionMeta,
    plan: Extract<CommandPlan, { kind: "defer" }>,
  ): InteractionOutcome {
    return {
      response: {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        ...(plan.ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
      },
      afterResponse: async () => {
        const message = await plan.work().catch((error: unknown) => {
          this.deps.logger.error({ err: error, interactionId: meta.id }, "discord work failed");
          return renderNotice(apologyFor(error));
        });
        const target: DiscordTarget = {
          platform: "discord",
          applicationId: meta.applicationId,
          interactionToken: meta.token,
          ephemeral: plan.ephemeral,
        };
        if (this.deps.fallback.show) await this.deps.fallback.show(target, message);
        else await this.deps.fallback.apologize(target, message.content);
      },
    };
  }

  private async enqueue(job: Job): Promise<void> {
    try {
      await this.deps.jobs.submit(job);
    } catch (error) {
      this.deps.logger.error({ err: error, interactionId: job.id }, "discord job not queued");
      const target = job.reply as DiscordTarget;
      await this.deps.fallback
        .apologize(target, MESSAGES.apology)
        .catch((apologyError: unknown) => {
          this.deps.logger.error(
            { err: apologyError, interactionId: job.id },
            "discord apology failed",
          );
        });
    }
  }
}

export function reply(message: MessagePayload, ephemeral: boolean): InteractionOutcome {
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { ...message, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
    },
  };
}

function choices(list: APIApplicationCommandOptionChoice<string>[]): InteractionOutcome {
  return {
    response: {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: list },
    },
  };
}

/** The member behind an interaction: server (or "dm") + user; undefined when Discord sent no user. */
export function discordMember(meta: InteractionMeta): MemberId | undefined {
  if (!meta.userId) return undefined;
  try {
    return memberId("discord", meta.guildId ?? "dm", meta.userId);
  } catch {
    return undefined;
  }
}
