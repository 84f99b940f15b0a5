import type { Middleware, RespondFn, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { describeWeekly, parseWeeklyTime } from "../../../../core/movienight/weekly-schedule.ts";
import { noticeMessage } from "../../blocks.ts";
import { mention, movienightHelp, nightNotice } from "../../movienight-blocks.ts";
import { NightPostError } from "../../slack-night-publisher.ts";
import type { ListenerDeps, SlackMovieNight } from "../listener-deps.ts";
import { nightFailure } from "../movienight-failures.ts";

/** What `/movienight …` asks for. Mentions arrive escaped (`<@U123|anna>`): the manifest's should_escape. */
export type NightIntent =
  | { kind: "start"; named: string[] }
  | { kind: "help"; problem?: string }
  | { kind: "schedule"; words: string[] }
  | { kind: "schedule-off" }
  | { kind: "schedule-list" };

const MENTION = /<@([UW][A-Z0-9]{1,20})(?:\|[^>]*)?>/g;

export function parseNightText(text: string): NightIntent {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (first === "help") return { kind: "help" };
  if (first === "schedule") {
    const rest = words.slice(1);
    const sub = rest[0]?.toLowerCase();
    if (rest.length === 1 && sub === "off") return { kind: "schedule-off" };
    if (rest.length === 1 && sub === "list") return { kind: "schedule-list" };
    return { kind: "schedule", words: rest };
  }
  const named = [...trimmed.matchAll(MENTION)].map((m) => m[1] as string);
  const leftover = trimmed.replace(MENTION, "").replace(/[\s,]+/g, "");
  if (leftover !== "") {
    return {
      kind: "help",
      problem: "I only understand members named with @ (and `schedule …`, `help`).",
    };
  }
  return { kind: "start", named: [...new Set(named)] };
}

/**
 * `/movienight [@member …] | schedule <day> <HH:MM> <Zone> | schedule off | schedule list | help`.
 * The ack is immediate; the night is then stored and posted to the channel with the bot token, so
 * Slack's 3 seconds never wait on the database or on chat.postMessage.
 */
export function movienightCommand(deps: ListenerDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond }) => {
    const night = deps.movienight;
    const intent = parseNightText(command.text);
    if (!night) {
      await ack({
        response_type: "ephemeral",
        ...noticeMessage("Movie nights are off on this bot (they need its member database)."),
      });
      return;
    }
    if (intent.kind === "help") {
      const help = movienightHelp(
        night.service.settings.joinMinutes,
        night.service.settings.voteHours,
      );
      const text = intent.problem ? `${intent.problem}\n${help.text}` : help.text;
      await ack({ response_type: "ephemeral", ...nightNotice(text) });
      return;
    }
    await ack();
    const where = {
      platform: "slack" as const,
      workspace: command.team_id,
      channel: command.channel_id,
    };
    try {
      switch (intent.kind) {
        case "start":
          await startNight(night, { ...where, starter: command.user_id, named: intent.named });
          return;
        case "schedule":
          await setSchedule(night, where, intent.words, command.user_id, respond);
          return;
        case "schedule-off": {
          const removed = await night.service.removeSchedule(where);
          await respond(
            removed
              ? {
                  response_type: "in_channel",
                  ...nightNotice(
                    `${mention(command.user_id)} stopped this channel's weekly movie night.`,
                  ),
                }
              : {
                  response_type: "ephemeral",
                  ...noticeMessage("This channel has no weekly movie night."),
                },
          );
          return;
        }
        case "schedule-list": {
          const schedules = await night.service.schedules("slack", command.team_id);
          const lines = schedules.map(
            (s) => `<#${s.channel}>: ${describeWeekly(s)}, set by ${mention(s.setBy)}`,
          );
          await respond({
            response_type: "ephemeral",
            ...nightNotice(
              lines.length === 0
                ? "No weekly movie nights in this workspace. Set one with `/movienight schedule fri 19:00 Europe/Zurich`."
                : `*Weekly movie nights:*\n${lines.join("\n")}`,
            ),
          });
          return;
        }
      }
    } catch (error) {
      await respond({ response_type: "ephemeral", ...noticeMessage(nightFailure(deps, error)) });
    }
  };
}

async function startNight(
  night: SlackMovieNight,
  input: {
    platform: "slack";
    workspace: string;
    channel: string;
    starter: string;
    named: string[];
  },
): Promise<void> {
  const view = await night.service.start(input);
  try {
    const ts = await night.publisher.postJoin(view);
    if (ts) await night.service.rememberMessage(view.night.id, "join", ts);
  } catch (error) {
    // Nobody saw it: no timer may post a poll for it later.
    await night.service.cancel(view.night.id, input.starter).catch(() => {});
    throw error;
  }
}

/** Sets the schedule and says so in the channel with the bot token, which proves it can post there. */
async function setSchedule(
  night: SlackMovieNight,
  where: { platform: "slack"; workspace: string; channel: string },
  words: string[],
  user: string,
  respond: RespondFn,
): Promise<void> {
  const when = parseWeeklyTime(words);
  const schedule = await night.service.setSchedule(where, when, user);
  try {
    await night.publisher.notice(
      where.channel,
      `🎬 ${mention(user)} set a weekly movie night here: ${describeWeekly(schedule)}. ` +
        "`/movienight schedule off` stops it.",
    );
  } catch (error) {
    if (error instanceof NightPostError) await night.service.removeSchedule(where);
    throw error;
  }
  await respond({
    response_type: "ephemeral",
    ...noticeMessage(`Done: ${describeWeekly(schedule)}.`),
  });
}
