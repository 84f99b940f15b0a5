import { SlashCommandBuilder } from "discord.js";
import { WEEKDAYS } from "../../../core/movienight/movie-night.ts";
import { describeWeekly, parseWeeklyTime } from "../../../core/movienight/weekly-schedule.ts";
import { clip } from "../../chat/chat-shared.ts";
import { type MessagePayload, renderNotice } from "../embeds.ts";
import { SUBCOMMAND } from "../interaction-input.ts";
import type { DiscordMovieNight } from "../movienight-deps.ts";
import { nightFailure } from "../movienight-failures.ts";
import { closedPayload, helpText, mention, NIGHT_PICKS } from "../movienight-messages.ts";
import { NightPostError } from "../night-post-error.ts";
import type { CommandPlan, SlashCommand } from "./command.ts";

/** Members the starter may name: Discord user options (a member picker, no typed mentions). */
export const MEMBER_OPTIONS = ["member1", "member2", "member3", "member4", "member5"] as const;
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const builder = new SlashCommandBuilder()
  .setName("movienight")
  .setDescription("Decide together: the films this channel will enjoy, a poll, a weekly schedule")
  .addSubcommand((sub) => {
    sub
      .setName("start")
      .setDescription("Start a movie night here: people press I'm in, then vote in a poll");
    for (const [index, name] of MEMBER_OPTIONS.entries()) {
      sub.addUserOption((option) =>
        option
          .setName(name)
          .setDescription(index === 0 ? "Someone who is in from the start" : "Someone else"),
      );
    }
    return sub;
  })
  .addSubcommand((sub) =>
    sub
      .setName("schedule")
      .setDescription("A movie night in this channel every week at a local time")
      .addStringOption((option) =>
        option
          .setName("day")
          .setDescription("The weekday")
          .setRequired(true)
          .addChoices(...WEEKDAYS.map((day, i) => ({ name: DAY_NAMES[i] as string, value: day }))),
      )
      .addStringOption((option) =>
        option.setName("time").setDescription("24-hour local time, e.g. 19:00").setRequired(true),
      )
      .addStringOption((option) =>
        option
          .setName("zone")
          .setDescription("Time zone, e.g. Europe/Zurich: start typing a city")
          .setRequired(true)
          .setAutocomplete(true),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName("off").setDescription("Stop this channel's weekly movie night"),
  )
  .addSubcommand((sub) => sub.setName("list").setDescription("This server's weekly movie nights"))
  .addSubcommand((sub) => sub.setName("help").setDescription("How movie nights work"));

const privately = (text: string): CommandPlan => ({
  kind: "reply",
  message: renderNotice(text),
  ephemeral: true,
});

/**
 * /movienight start | schedule | off | list | help. Starting and scheduling post to the channel
 * with the bot token (so a missing permission shows at once, to whoever asked), after a deferral.
 */
export const movienight: SlashCommand = {
  data: builder,

  async execute(options, context) {
    const night = context.movienight;
    if (!night)
      return privately("Movie nights are off on this bot (they need its member database).");
    const { settings } = night.service;
    const help = helpText(settings.joinMinutes, settings.voteHours);
    const member = context.member;
    if (!member || member.workspace === "dm" || !context.channelId) {
      return privately("Movie nights happen in a server's channel, not in direct messages.");
    }
    const where = {
      platform: "discord" as const,
      workspace: member.workspace,
      channel: context.channelId,
    };
    switch (options[SUBCOMMAND]) {
      case "start": {
        const named = [...new Set(MEMBER_OPTIONS.map((name) => options[name]).filter(isUser))];
        return deferred(night, () => startNight(night, { ...where, starter: member.user, named }));
      }
      case "schedule": {
        let when: ReturnType<typeof parseWeeklyTime>;
        try {
          when = parseWeeklyTime([options.day ?? "", options.time ?? "", options.zone ?? ""]);
        } catch (error) {
          return privately(nightFailure(error, night));
        }
        return deferred(night, async () => {
          const schedule = await night.service.setSchedule(where, when, member.user);
          try {
            await night.publisher.notice(
              where.channel,
              `🎬 ${mention(member.user)} set a weekly movie night here: ${describeWeekly(schedule)}. ` +
                "`/movienight off` stops it.",
            );
          } catch (error) {
            // A schedule that could never post is not kept.
            if (error instanceof NightPostError) await night.service.removeSchedule(where);
            throw error;
          }
          return renderNotice(`Done: a movie night here ${describeWeekly(schedule)}.`);
        });
      }
      case "off": {
        const removed = await night.service.removeSchedule(where).catch((error: unknown) => error);
        if (removed instanceof Error) return privately(nightFailure(removed, night));
        if (!removed) return privately("This channel has no weekly movie night.");
        return {
          kind: "reply",
          message: closedPayload(
            `${mention(member.user)} stopped this channel's weekly movie night.`,
          ),
          ephemeral: false,
        };
      }
      case "list": {
        const schedules = await night.service
          .schedules("discord", member.workspace)
          .catch((error: unknown) => error as Error);
        if (schedules instanceof Error) return privately(nightFailure(schedules, night));
        const lines = schedules.map(
          (s) => `<#${s.channel}>: ${describeWeekly(s)}, set by ${mention(s.setBy)}`,
        );
        return privately(
          lines.length === 0
            ? "No weekly movie nights on this server. Set one with `/movienight schedule`."
            : clip(`**Weekly movie nights:**\n${lines.join("\n")}`, 2000),
        );
      }
      default:
        return privately(help);
    }
  },

  async autocomplete(focused) {
    if (focused.name !== "zone") return [];
    const typed = focused.value.trim().toLowerCase().replaceAll(" ", "_");
    return Intl.supportedValuesOf("timeZone")
      .filter((zone) => zone.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((zone) => ({ name: zone, value: zone }));
  },
};

const isUser = (value: string | undefined): value is string => !!value && /^\d{1,20}$/.test(value);

function deferred(night: DiscordMovieNight, work: () => Promise<MessagePayload>): CommandPlan {
  return {
    kind: "defer",
    ephemeral: true,
    work: () => work().catch((error: unknown) => renderNotice(nightFailure(error, night))),
  };
}

/** Stores the night, posts its join post with the bot token, and tells the starter it is up. */
async function startNight(
  night: DiscordMovieNight,
  input: {
    platform: "discord";
    workspace: string;
    channel: string;
    starter: string;
    named: string[];
  },
): Promise<MessagePayload> {
  const view = await night.service.start(input);
  try {
    const id = await night.publisher.postJoin(view);
    await night.service.rememberMessage(view.night.id, "join", id);
  } catch (error) {
    // Nobody saw it: no timer may post a poll for it later.
    await night.service.cancel(view.night.id, input.starter).catch(() => {});
    throw error;
  }
  const minutes = night.service.settings.joinMinutes;
  const pickFirst = view.withoutProfile.includes(input.starter)
    ? ` I don't know your taste yet: press **I'm in** on the post to pick ${NIGHT_PICKS} movies you like.`
    : "";
  return renderNotice(
    `Your movie night is posted in this channel: joining closes in ${minutes} minutes.${pickFirst}`,
  );
}
