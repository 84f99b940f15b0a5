import { SlashCommandBuilder } from "discord.js";
import { RESULT_LIMIT, type SlashCommand } from "./command.ts";

/** Channel-wide picks: posted for everyone, not just the user who asked. */
export const popular: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("popular")
    .setDescription("Post today's popular movie picks in this channel for everyone"),

  execute() {
    return {
      kind: "compute",
      request: { name: "popular", limit: RESULT_LIMIT },
      ephemeral: false,
    };
  },
};
