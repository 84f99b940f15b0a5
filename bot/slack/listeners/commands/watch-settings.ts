import type { AckFn, RespondArguments, SlashCommand } from "@slack/bolt";
import { type MemberId, memberId } from "../../../../core/members/taste-store.ts";
import type { WatchPrefs } from "../../../../core/requests/recommend-request.ts";
import {
  PREFS_TEXT,
  parseRegionInput,
  parseServicesInput,
  settingsOf,
  watchPrefs,
} from "../../../watch-prefs.ts";
import { noticeMessage } from "../../blocks.ts";
import type { ListenerDeps } from "../listener-deps.ts";

/** The member behind a slash command: workspace (team) + user; undefined if Slack left one out. */
export function commandMember(
  command: Pick<SlashCommand, "team_id" | "user_id">,
): MemberId | undefined {
  try {
    return memberId("slack", command.team_id, command.user_id);
  } catch {
    return undefined;
  }
}

/** The member behind a click: the team is on the user (and on `team`, absent in some org installs). */
export function actionMember(body: {
  user: { id: string; team_id?: string };
  team: { id: string } | null;
}): MemberId | undefined {
  try {
    return memberId("slack", body.user.team_id ?? body.team?.id ?? "", body.user.id);
  } catch {
    return undefined;
  }
}

/** The clicker's region and services, for a job started by a button. */
export async function clickerPrefs(
  deps: ListenerDeps,
  body: Parameters<typeof actionMember>[0],
): Promise<WatchPrefs> {
  return watchPrefs(await settingsOf(deps.taste, actionMember(body)));
}

/**
 * `/recommend region [XX]` and `/recommend services [names | none]`: show or change where the
 * member watches. Both answer in the ack (a database write is milliseconds), only to the member.
 */
export async function watchSettingsCommand(
  deps: ListenerDeps,
  command: SlashCommand,
  kind: "region" | "services",
  text: string,
  ack: AckFn<string | RespondArguments>,
): Promise<void> {
  const say = (message: string) => ack({ response_type: "ephemeral", ...noticeMessage(message) });
  const member = commandMember(command);
  if (!member || !deps.taste) return say(PREFS_TEXT.noMember);
  const name = `${command.command} ${kind}`;
  try {
    if (kind === "region") {
      const input = parseRegionInput(text);
      if (input.kind === "invalid") return say(PREFS_TEXT.regionInvalid(name));
      if (input.kind === "show") {
        const settings = await settingsOf(deps.taste, member);
        return say(PREFS_TEXT.regionShow(settings, deps.cards.defaultRegion, name));
      }
      await deps.taste.saveSettings(member, { region: input.region });
      return say(PREFS_TEXT.regionSet(input.region));
    }
    const input = parseServicesInput(text);
    if (input.kind === "invalid") return say(input.message);
    if (input.kind === "show") {
      return say(PREFS_TEXT.servicesShow(await settingsOf(deps.taste, member), name));
    }
    await deps.taste.saveSettings(member, { services: input.services });
    return say(PREFS_TEXT.servicesSet(input.services));
  } catch (error) {
    deps.logger.warn({ err: error }, "member settings not saved");
    return say(PREFS_TEXT.notSaved);
  }
}
