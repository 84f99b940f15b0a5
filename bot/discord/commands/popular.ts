import { SlashCommandBuilder } from "discord.js";
import { CHAT_RESULT_LIMIT, parseRequest } from "../../../core/requests/recommend-request.ts";
import { settingsOf, watchPrefs } from "../../watch-prefs.ts";
import type { SlashCommand } from "./command.ts";

/** Channel-wide picks: posted for everyone, not just the user who asked. */
export const popular: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("popular")
    .setDescription("Post today's popular movie picks in this channel for everyone"),

  async execute(_options, { taste, member, locale }) {
    const prefs = watchPrefs(await settingsOf(taste, member), { locale });
    return {
      kind: "compute",
      // With a member: this server's own list once its members liked enough.
      request: parseRequest({
        name: "popular",
        limit: CHAT_RESULT_LIMIT,
        ...prefs,
        ...(member ? { member } : {}),
      }),
      ephemeral: false,
    };
  },
};
