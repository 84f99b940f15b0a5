import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { InvalidInputError } from "../../../../core/errors.ts";
import type { JobRequest } from "../../../../core/jobs/job.ts";
import { parseRequest, splitTitles } from "../../../../core/requests/recommend-request.ts";
import { PREFS_TEXT, settingsOf, watchPrefs } from "../../../watch-prefs.ts";
import { helpMessage, noticeMessage, pickerMessage } from "../../blocks.ts";
import { jobFor } from "../../slack-jobs.ts";
import type { ListenerDeps } from "../listener-deps.ts";
import { commandMember, watchSettingsCommand } from "./watch-settings.ts";

/**
 * `/recommend [help | popular | titles | mine … | region XX | services …]`. Everything quick is the ack itself; recommendations go
 * to the job queue and arrive at response_url, so the 3-second window never depends on the core.
 */
export function recommendCommand(deps: ListenerDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond }) => {
    const intent = parseCommandText(command.text);
    const interaction = {
      trigger_id: command.trigger_id,
      response_url: command.response_url,
      user: command.user_id,
    };
    switch (intent.kind) {
      case "picker":
        await ack({ response_type: "ephemeral", ...pickerMessage() });
        return;
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage(command.command) });
        return;
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

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
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
