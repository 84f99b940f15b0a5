import { SlashCommandBuilder } from "discord.js";
import { CHAT_RESULT_LIMIT, parseRequest } from "../../../core/requests/recommend-request.ts";
import type { SlashCommand } from "./command.ts";

/** Channel-wide picks: posted for everyone, not just the user who asked. */
export const popular: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("popular")
    .setDescription("Post today's popular movie picks in this channel for everyone"),

  execute(_options, { member }) {
    return {
      kind: "compute",
      // With a member: this server's own list once its members liked enough.
      request: parseRequest({
        name: "popular",
        limit: CHAT_RESULT_LIMIT,
        ...(member ? { member } : {}),
      }),
      ephemeral: false,
    };
  },
};
