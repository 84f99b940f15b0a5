import { SlashCommandBuilder } from "discord.js";
import type { MemberSettings } from "../../../core/members/taste-store.ts";
import { regionFromLocale } from "../../../core/watch/watch-source.ts";
import { PREFS_TEXT, parseRegionInput, parseServicesInput, settingsOf } from "../../watch-prefs.ts";
import { renderNotice } from "../embeds.ts";
import type { CommandContext, CommandPlan, SlashCommand } from "./command.ts";

function notice(text: string): CommandPlan {
  return { kind: "reply", message: renderNotice(text), ephemeral: true };
}

/** Saves a change to the member's settings and says so; the member is told when it failed. */
async function save(
  context: CommandContext,
  change: Partial<MemberSettings>,
  done: string,
): Promise<CommandPlan> {
  if (!context.member || !context.taste) return notice(PREFS_TEXT.noMember);
  try {
    await context.taste.saveSettings(context.member, change);
    return notice(done);
  } catch {
    return notice(PREFS_TEXT.notSaved);
  }
}

/** `/region [code]`: where the member watches; without a code, what it is now. */
export const region: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("region")
    .setDescription("Where you watch: cards show the streaming services in this country")
    .addStringOption((option) =>
      option
        .setName("code")
        .setDescription("Two-letter country code, e.g. CH or US (empty: show yours)")
        .setMinLength(2)
        .setMaxLength(2),
    ),

  async execute(options, context) {
    const input = parseRegionInput(options.code);
    if (input.kind === "invalid") return notice(PREFS_TEXT.regionInvalid("/region code:"));
    if (input.kind === "show") {
      const settings = await settingsOf(context.taste, context.member);
      const fallback = regionFromLocale(context.locale) ?? context.cards.defaultRegion;
      return notice(PREFS_TEXT.regionShow(settings, fallback, "/region code:"));
    }
    return save(context, { region: input.region }, PREFS_TEXT.regionSet(input.region));
  },
};

/** `/services [names]`: the streaming services the member has; "none" clears them. */
export const services: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("services")
    .setDescription("The streaming services you have: listed first on cards, and for mine:True")
    .addStringOption((option) =>
      option
        .setName("names")
        .setDescription("e.g. Netflix, Disney Plus (none: clear; empty: show yours)")
        .setMaxLength(500),
    ),

  async execute(options, context) {
    const input = parseServicesInput(options.names);
    if (input.kind === "invalid") return notice(input.message);
    if (input.kind === "show") {
      const settings = await settingsOf(context.taste, context.member);
      return notice(PREFS_TEXT.servicesShow(settings, "/services names:"));
    }
    return save(context, { services: input.services }, PREFS_TEXT.servicesSet(input.services));
  },
};
