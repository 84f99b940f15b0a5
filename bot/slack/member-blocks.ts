import type { types } from "@slack/bolt";
import type { MemberExport } from "../../core/members/member-export.ts";
import { clip } from "../chat/chat-shared.ts";
import { escapeMrkdwn, LIMITS } from "./block-limits.ts";
import type { SlackMessage } from "./blocks.ts";

/** action_ids of the member's own lists and privacy controls. */
export const MEMBER_ACTIONS = {
  removeFromWatchlist: "watchlist_remove",
  forgetConfirm: "forget_confirm",
  forgetCancel: "forget_cancel",
} as const;

const plain = (text: string, max: number): types.PlainTextElement => ({
  type: "plain_text",
  text: clip(text, max),
  emoji: true,
});
const section = (text: string): types.SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
});

/** The watchlist, newest first, each film with a Remove button; what does not fit is counted. */
export function watchlistMessage(
  items: readonly { movieId: number; label: string }[],
): SlackMessage {
  if (items.length === 0) {
    const text = "Your watchlist is empty. Press *Watchlist* on a card to add a film.";
    return { text: clip(text, LIMITS.messageText), blocks: [section(text)] };
  }
  const room = LIMITS.blocksPerMessage - 2;
  const shown = items.slice(0, room);
  const blocks: types.KnownBlock[] = [
    { type: "header", text: plain("Your watchlist", LIMITS.headerText) },
    ...shown.map(
      (item): types.SectionBlock => ({
        type: "section",
        block_id: `watchlist_${item.movieId}`,
        text: { type: "mrkdwn", text: clip(escapeMrkdwn(item.label), LIMITS.sectionText) },
        accessory: {
          type: "button",
          action_id: MEMBER_ACTIONS.removeFromWatchlist,
          text: plain("Remove", LIMITS.buttonText),
          value: String(item.movieId),
        },
      }),
    ),
  ];
  if (shown.length < items.length)
    blocks.push(section(`…and ${items.length - shown.length} more.`));
  return {
    text: clip(`Your watchlist: ${items.map((i) => i.label).join(", ")}`, LIMITS.messageText),
    blocks,
  };
}

/** The member's data as JSON in code blocks, split to fit Slack's section limit. */
export function exportMessage(data: MemberExport): SlackMessage {
  const json = JSON.stringify(data, null, 1);
  const chunk = LIMITS.sectionText - 10;
  const blocks: types.KnownBlock[] = [
    section(
      `Everything I remember about you (${data.entries.length} entries), as JSON. Only you can see this.`,
    ),
  ];
  for (let i = 0; i < json.length && blocks.length < LIMITS.blocksPerMessage; i += chunk) {
    blocks.push(section(`\`\`\`${json.slice(i, i + chunk)}\`\`\``));
  }
  return { text: clip(json, LIMITS.messageText), blocks };
}

/** "Forget me" asks first: the rows go for good. */
export function forgetConfirmMessage(summary: string): SlackMessage {
  const text = `Forget everything I remember about you (${summary})? Your likes, dislikes, seen films and watchlist are deleted for good.`;
  return {
    text: clip(text, LIMITS.messageText),
    blocks: [
      section(escapeMrkdwn(text)),
      {
        type: "actions",
        block_id: "forget",
        elements: [
          {
            type: "button",
            action_id: MEMBER_ACTIONS.forgetConfirm,
            text: plain("Forget me", LIMITS.buttonText),
            value: "forget",
            style: "danger",
          },
          {
            type: "button",
            action_id: MEMBER_ACTIONS.forgetCancel,
            text: plain("Cancel", LIMITS.buttonText),
            value: "cancel",
          },
        ],
      },
    ],
  };
}
