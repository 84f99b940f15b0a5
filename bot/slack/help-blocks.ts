import { MAX_PICKS } from "../../core/requests/recommend-request.ts";
import { clip } from "../chat/chat-shared.ts";
import { LIMITS } from "./block-limits.ts";
import type { SlackMessage } from "./blocks.ts";

/** `/recommend help`: every form of the command, in one section. */
export function helpMessage(command = "/recommend"): SlackMessage {
  const text = [
    `*${command}* — pick movies you like from a search menu, then get recommendations.`,
    `*${command} Toy Story, Heat 1995* — recommendations from titles (separate them with commas, semicolons or new lines; up to ${MAX_PICKS}).`,
    `*${command} popular* — popular picks (this workspace's own once members liked enough), posted to the channel for everyone.`,
    `*${command} region CH* — where you watch (two letters): cards show the streaming services there.`,
    `*${command} services Netflix, Disney Plus* — the services you have (\`none\` clears them).`,
    `*${command} mine Toy Story* — only films on your services (\`mine\` alone: popular ones).`,
    `*${command} watchlist* — your watchlist, with buttons to remove films.`,
    `*${command} export* — everything I remember about you, as JSON, only to you.`,
    `*${command} forget* — delete everything I remember about you (asks first).`,
    `*${command} help* — this help.`,
    "*/movienight* — pick a film together in this channel: five the whole group will enjoy, a vote, the winner (`/movienight help`).",
    `A film named like one of these words goes in quotes: *${command} "Help!"*.`,
    "👍, 👎, *Seen it* and *Watchlist* on a card teach me your taste: films you dislike or have seen are not recommended again, and with 3 likes *" +
      command +
      "* alone picks for you.",
    "Results are only visible to you until you press *Share to channel*.",
  ].join("\n");
  return {
    text: clip(text, LIMITS.messageText),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) } }],
  };
}
