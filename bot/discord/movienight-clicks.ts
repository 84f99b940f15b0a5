import { InteractionResponseType, MessageFlags } from "discord-api-types/v10";
import type { CardService } from "../../core/cards/card-service.ts";
import type { MemberId, TasteStore } from "../../core/members/taste-store.ts";
import { saveNightPicks } from "../chat/night-picks.ts";
import { type MessagePayload, renderNotice } from "./embeds.ts";
import type { InteractionOutcome } from "./interaction-handler.ts";
import type { DiscordInput } from "./interaction-input.ts";
import type { DiscordMovieNight } from "./movienight-deps.ts";
import { nightFailure } from "./movienight-failures.ts";
import {
  cancelledText,
  closedPayload,
  joinPayload,
  NIGHT_PICKS,
  parseNightCustomId,
  pickerPayload,
} from "./movienight-messages.ts";

/**
 * Clicks on a movie night's components: I'm in, Cancel, and the picker's three films. The join
 * post is redrawn in the click's own response where the click was on it (no permission needed),
 * else with the bot token afterwards. Null when the click is not a movie night's.
 */
export async function nightClick(
  input: Extract<DiscordInput, { kind: "component" }>,
  member: MemberId | undefined,
  night: DiscordMovieNight | undefined,
  deps: { cards: CardService; taste: TasteStore },
): Promise<InteractionOutcome | null> {
  const click = parseNightCustomId(input.customId);
  if (!click) return null;
  if (!night) return privately(renderNotice("Movie nights are off on this bot."));
  if (!member) return privately(renderNotice("I can't tell who you are here."));
  try {
    switch (click.kind) {
      case "join": {
        const { view, joined, hasProfile } = await night.service.join(click.nightId, member.user);
        const schedule = await night.service.scheduleOf(view.night);
        if (!hasProfile) {
          // The picker lists popular films with posters: answered "thinking…", then drawn.
          return {
            response: {
              type: InteractionResponseType.DeferredChannelMessageWithSource,
              data: { flags: MessageFlags.Ephemeral },
            },
            afterResponse: async () => {
              const popular = await deps.cards.popular(25, { member }).catch(() => null);
              const body = popular?.cards.length
                ? pickerPayload(click.nightId, popular.cards)
                : renderNotice(
                    `You're in! I couldn't list films just now: 👍 ${NIGHT_PICKS} films under \`/recommend\`'s cards so the group's picks fit you too.`,
                  );
              await night.publisher.editOriginal(input.meta.applicationId, input.meta.token, body);
              if (joined) await night.publisher.refreshJoin(view, schedule);
            },
          };
        }
        if (!joined) return privately(renderNotice("You're in already. 🍿"));
        return update(joinPayload(view, schedule));
      }
      case "cancel": {
        const cancelled = await night.service.cancel(click.nightId, member.user);
        return {
          ...update(closedPayload(cancelledText(cancelled))),
          afterResponse: () => night.publisher.cancelled(cancelled),
        };
      }
      case "picks": {
        const saved = await saveNightPicks(deps, member, input.values);
        if (!saved.saved) {
          return privately(
            renderNotice(`Pick ${NIGHT_PICKS} movies you like (you picked ${saved.picked}).`),
          );
        }
        const current = await night.service.night(click.nightId);
        return {
          ...update(renderNotice(saved.thanks)),
          afterResponse: async () => {
            const view = await night.service.view(current);
            await night.publisher.refreshJoin(view, await night.service.scheduleOf(current));
          },
        };
      }
    }
  } catch (error) {
    return privately(renderNotice(nightFailure(error, night)));
  }
}

function update(message: MessagePayload): InteractionOutcome {
  return { response: { type: InteractionResponseType.UpdateMessage, data: message } };
}

function privately(message: MessagePayload): InteractionOutcome {
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { ...message, flags: MessageFlags.Ephemeral },
    },
  };
}
