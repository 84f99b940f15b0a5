import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { InvalidInputError } from "../../../../core/errors.ts";
import type { JobRequest } from "../../../../core/jobs/job.ts";
import { parseRequest } from "../../../../core/requests/recommend-request.ts";
import { PREFS_TEXT, settingsOf, watchPrefs } from "../../../watch-prefs.ts";
import { helpMessage, noticeMessage, pickerMessage } from "../../blocks.ts";
import { parseCommandText } from "../../command-text.ts";
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
