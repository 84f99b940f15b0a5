import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { InvalidInputError } from "../../../../core/errors.ts";
import type { JobRequest } from "../../../../core/jobs/job.ts";
import { entriesSummary, memberExport } from "../../../../core/members/member-export.ts";
import { PICKED_FOR_YOU_MIN_LIKES } from "../../../../core/members/taste-profile.ts";
import type { MemberId } from "../../../../core/members/taste-store.ts";
import { parseRequest, splitTitles } from "../../../../core/requests/recommend-request.ts";
import { PREFS_TEXT, settingsOf, watchPrefs } from "../../../watch-prefs.ts";
import { noticeMessage, pickerMessage } from "../../blocks.ts";
import { helpMessage } from "../../help-blocks.ts";
import { exportMessage, forgetConfirmMessage } from "../../member-blocks.ts";
import { jobFor } from "../../slack-jobs.ts";
import { slackMember } from "../../slack-member.ts";
import { watchlistView } from "../actions/member-actions.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { commandMember, watchSettingsCommand } from "./watch-settings.ts";

/**
 * `/recommend [help | popular | titles | mine … | region XX | services …]`. Everything quick is the ack itself; recommendations go
 * to the job queue and arrive at response_url, so the 3-second window never depends on the core.
 */
export function recommendCommand(deps: ListenerDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond }) => {
    const intent = parseCommandText(command.text);
    const member = slackMember(command.team_id, command.user_id);
    const interaction = {
      trigger_id: command.trigger_id,
      response_url: command.response_url,
      user: command.user_id,
    };
    switch (intent.kind) {
      case "picker": {
        // A member with a history gets "Picked for you" (with the picker beneath); others the picker.
        if (!(await hasHistory(deps, member))) {
          await ack({ response_type: "ephemeral", ...pickerMessage() });
          return;
        }
        await ack({ response_type: "ephemeral", ...noticeMessage("Picking movies for you…") });
        await deps.submitter.submit(
          jobFor(
            interaction,
            parseRequest({
              name: "recommend",
              liked: [],
              titles: [],
              limit: deps.resultLimit,
              member,
            }),
            { responseType: "ephemeral", replaceOriginal: true },
          ),
          respond,
        );
        return;
      }
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage(command.command) });
        return;
      case "watchlist":
      case "export":
      case "forget": {
        // The member's own data: ack at once, then read it (the database may be slow or down).
        await ack();
        const reply = await ownData(deps, intent.kind, member);
        await respond({ response_type: "ephemeral", replace_original: false, ...reply });
        return;
      }
      case "invalid":
        await ack({ response_type: "ephemeral", ...noticeMessage(intent.message) });
        return;
      case "region":
      case "services":
        await watchSettingsCommand(deps, command, intent.kind, intent.text, ack);
        return;
      case "mine": {
        const settings = await settingsOf(deps.taste, commandMember(command));
        if (settings.services.length === 0) {
          const services = `${command.command} services`;
          await ack({
            response_type: "ephemeral",
            ...noticeMessage(PREFS_TEXT.mineWithoutServices(services)),
          });
          return;
        }
        await ack({ response_type: "ephemeral", ...noticeMessage("Looking on your services…") });
        await deps.submitter.submit(
          jobFor(
            interaction,
            parseRequest({
              name: "popular",
              limit: deps.resultLimit,
              ...watchPrefs(settings, { onlyMine: true }),
            }),
            { responseType: "ephemeral", replaceOriginal: false },
          ),
          respond,
        );
        return;
      }
      case "popular":
        // Shown to everyone: the channel-wide picks.
        await ack();
        await deps.submitter.submit(
          jobFor(
            interaction,
            parseRequest({
              name: "popular",
              limit: deps.resultLimit,
              ...watchPrefs(await settingsOf(deps.taste, commandMember(command))),
              member,
            }),
            { responseType: "in_channel", replaceOriginal: false },
          ),
          respond,
        );
        return;
      case "titles": {
        const settings = await settingsOf(deps.taste, commandMember(command));
        if (intent.onlyMine && settings.services.length === 0) {
          const services = `${command.command} services`;
          await ack({
            response_type: "ephemeral",
            ...noticeMessage(PREFS_TEXT.mineWithoutServices(services)),
          });
          return;
        }
        let request: JobRequest;
        try {
          request = parseRequest({
            name: "recommend",
            liked: [],
            titles: intent.titles,
            limit: deps.resultLimit,
            ...watchPrefs(settings, { onlyMine: intent.onlyMine }),
            member,
          });
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          await ack({ response_type: "ephemeral", ...noticeMessage(error.message) });
          return;
        }
        await ack({
          response_type: "ephemeral",
          ...noticeMessage(`Looking for movies like ${intent.titles.join(", ")}…`),
        });
        await deps.submitter.submit(
          jobFor(interaction, request, { responseType: "ephemeral", replaceOriginal: false }),
          respond,
        );
        return;
      }
    }
  };
}

/** Whether the member has liked enough for "Picked for you"; a database that is down means no. */
async function hasHistory(deps: ListenerDeps, member: MemberId | undefined): Promise<boolean> {
  if (!member) return false;
  const profile = await deps.cards.profile(member);
  return (profile?.likes.length ?? 0) >= PICKED_FOR_YOU_MIN_LIKES;
}

const NO_MEMORY = "Sorry, I couldn't reach my memory just now. Please try again in a moment.";

async function ownData(
  deps: ListenerDeps,
  kind: "watchlist" | "export" | "forget",
  member: MemberId | undefined,
) {
  if (!member) return noticeMessage("I can't tell who you are here, so there is nothing to show.");
  try {
    if (kind === "watchlist") return await watchlistView(deps, member);
    const entries = await deps.taste.entries(member);
    if (kind === "export") return exportMessage(memberExport(member, entries, deps.cards.catalog));
    return forgetConfirmMessage(entriesSummary(entries));
  } catch (error) {
    deps.logger.warn({ reason: (error as Error).message, kind }, "member database failed");
    return noticeMessage(NO_MEMORY);
  }
}

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
  | { kind: "watchlist" }
  | { kind: "export" }
  | { kind: "forget" }
  | { kind: "titles"; titles: string[]; onlyMine?: boolean }
  /** `region [XX]` and `services [names]`: the member's where-to-watch settings. */
  | { kind: "region"; text: string }
  | { kind: "services"; text: string }
  /** `mine` alone: popular picks on the member's services. */
  | { kind: "mine" }
  | { kind: "invalid"; message: string };

/** What `/recommend <text>` asks for. Titles are separated by commas, semicolons or new lines. */
export function parseCommandText(raw: string | undefined): CommandIntent {
  const text = (raw ?? "").trim();
  if (text === "") return { kind: "picker" };
  const word = text.toLowerCase();
  if (word === "help" || word === "?") return { kind: "help" };
  if (word === "popular") return { kind: "popular" };
  // The member's own data; a film titled like one of these words is typed in quotes.
  if (word === "watchlist") return { kind: "watchlist" };
  if (word === "export") return { kind: "export" };
  if (word === "forget") return { kind: "forget" };
  const setting = /^(region|services)(?:\s+([\s\S]*))?$/i.exec(text);
  if (setting) {
    const kind = (setting[1] as string).toLowerCase() as "region" | "services";
    return { kind, text: setting[2] ?? "" };
  }
  const mine = /^mine(?:\s+([\s\S]*))?$/i.exec(text);
  if (mine) {
    const rest = parseCommandText(mine[1] ?? "");
    if (rest.kind === "titles") return { ...rest, onlyMine: true };
    if (rest.kind === "invalid") return rest;
    return { kind: "mine" };
  }
  try {
    const titles = splitTitles(text);
    return titles.length === 0 ? { kind: "picker" } : { kind: "titles", titles };
  } catch (error) {
    if (error instanceof InvalidInputError) return { kind: "invalid", message: error.message };
    throw error;
  }
}
