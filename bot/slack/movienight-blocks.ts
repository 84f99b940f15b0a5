import type { types } from "@slack/bolt";
import type { Card } from "../../core/cards/card.ts";
import type {
  Candidate,
  MovieNight,
  NightSchedule,
  Tally,
} from "../../core/movienight/movie-night.ts";
import { NIGHT_PICKS } from "../../core/movienight/movie-night-service.ts";
import type { NightView } from "../../core/movienight/night-ports.ts";
import { describeWeekly } from "../../core/movienight/weekly-schedule.ts";
import { cardLabel, cardLink, clip } from "../chat/chat-shared.ts";
import { clipEscaped, escapeMrkdwn, LIMITS } from "./block-limits.ts";
import type { SlackMessage } from "./blocks.ts";
import { ACTIONS, PICKER_BLOCK_ID } from "./slack-ids.ts";

/** action_ids of movie-night buttons; their values carry the night id (and the film for votes). */
export const NIGHT_ACTIONS = {
  join: "movienight_join",
  cancel: "movienight_cancel",
  vote: "movienight_vote",
  savePicks: "movienight_save_picks",
} as const;

/** The picker's count is the core's, the same on every platform. */
export { NIGHT_PICKS };

type Block = types.KnownBlock;

const section = (
  text: string,
  accessory?: types.SectionBlock["accessory"],
): types.SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
  ...(accessory ? { accessory } : {}),
});

function button(
  actionId: string,
  text: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
    value: clip(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** A user mention; Slack shows the name to everyone in the workspace. */
export const mention = (user: string) => `<@${user}>`;

/** Slack renders this in each reader's own time zone, with the fallback for old clients. */
function localTime(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  return `<!date^${seconds}^{time}|${new Date(epochMs).toISOString().slice(11, 16)} UTC>`;
}

const names = (users: readonly string[]) => users.map(mention).join(", ");

/** The join post: who is in, who must pick first, "I'm in" and "Cancel". */
export function joinMessage(view: NightView, schedule: NightSchedule | null = null): SlackMessage {
  const { night, participants, withoutProfile } = view;
  const opener = schedule
    ? `🎬 *Weekly movie night!* (${escapeMrkdwn(describeWeekly(schedule))}, set by ${mention(schedule.setBy)})`
    : `🎬 *${mention(night.starter)} started a movie night!*`;
  const lines = [
    opener,
    `Press *I'm in* to join: at ${localTime(night.joinUntil)} I'll post the five films this group ` +
      "will enjoy most, and you vote.",
  ];
  if (participants.length > 0) lines.push(`*In:* ${names(participants.map((p) => p.user))}`);
  if (withoutProfile.length > 0) {
    lines.push(
      `${names(withoutProfile)}: I don't know your taste yet. Press *I'm in* to pick ` +
        `${NIGHT_PICKS} movies you like first.`,
    );
  }
  return {
    text: `Movie night in this channel: press I'm in to join.`,
    blocks: [
      section(lines.join("\n")),
      {
        type: "actions",
        block_id: `movienight_join_${night.id}`.slice(0, 255),
        elements: [
          button(NIGHT_ACTIONS.join, "I'm in", night.id, "primary"),
          button(NIGHT_ACTIONS.cancel, "Cancel", night.id, "danger"),
        ],
      },
    ],
  };
}

/** The join post once joining is over. */
export function joinClosedMessage(night: MovieNight, how: string): SlackMessage {
  const text = `🎬 Movie night started by ${mention(night.starter)}: ${how}`;
  return { text: clip(text, LIMITS.messageText), blocks: [section(text)] };
}

/** One line of votes: "3 votes · <@A>'s pick". */
function votesLine(votes: number): string {
  return votes === 1 ? "1 vote" : `${votes} votes`;
}

/** A candidate's text: linked title, genres, the group's reason (mentions kept live), votes. */
function candidateText(card: Card | undefined, candidate: Candidate, votes: number | null): string {
  const label = escapeMrkdwn(card ? cardLabel(card) : `Movie ${candidate.movieId}`);
  const url = card ? cardLink(card) : null;
  const lines = [url ? `*<${url}|${label.replaceAll("|", "¦")}>*` : `*${label}*`];
  if (card && card.genres.length > 0) lines.push(clipEscaped(card.genres.join(", "), 300));
  // The reason is ours (mentions of validated user ids and fixed words): not escaped, so the
  // mentions stay mentions.
  lines.push(`_${clip(candidate.reason, 1000)}_`);
  if (votes !== null) lines.push(`*${votesLine(votes)}*`);
  return lines.join("\n");
}

function poster(card: Card | undefined): types.ImageElement | undefined {
  if (!card?.posterUrl || card.posterUrl.length > LIMITS.imageUrl) return undefined;
  return {
    type: "image",
    image_url: card.posterUrl,
    alt_text: clip(`Poster of ${cardLabel(card)}`, LIMITS.altText),
  };
}

/** The poll: the group's five films with posters, a vote button each and the live tally. */
export function pollMessage(
  night: MovieNight,
  candidates: readonly Candidate[],
  cards: ReadonlyMap<number, Card>,
  tally: Tally,
): SlackMessage {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const blocks: Block[] = [
    section(
      `🗳️ *Movie night: vote for one film* (one vote each, you can change it). Voting closes at ` +
        `${localTime(night.voteUntil ?? Date.now())}. ${votesLine(total)} so far.`,
    ),
  ];
  for (const candidate of candidates) {
    const card = cards.get(candidate.movieId);
    const votes = tally.get(candidate.movieId) ?? 0;
    blocks.push(section(candidateText(card, candidate, votes), poster(card)));
    blocks.push({
      type: "actions",
      block_id: `movienight_vote_${candidate.movieId}`,
      elements: [
        button(
          NIGHT_ACTIONS.vote,
          `Vote: ${card ? cardLabel(card) : candidate.movieId}`,
          voteValue(night.id, candidate.movieId),
        ),
      ],
    });
  }
  blocks.push({
    type: "actions",
    block_id: "movienight_poll_cancel",
    elements: [button(NIGHT_ACTIONS.cancel, "Cancel movie night", night.id, "danger")],
  });
  return { text: "Movie night: vote for one film.", blocks };
}

/** The poll once voting closed: the final tally, no buttons. */
export function pollClosedMessage(
  candidates: readonly Candidate[],
  cards: ReadonlyMap<number, Card>,
  tally: Tally,
  heading: string,
): SlackMessage {
  const blocks: Block[] = [section(heading)];
  for (const candidate of candidates) {
    const card = cards.get(candidate.movieId);
    blocks.push(section(candidateText(card, candidate, tally.get(candidate.movieId) ?? 0)));
  }
  return { text: clip(heading, LIMITS.messageText), blocks };
}

/** The winner, with its card. */
export function winnerMessage(
  winner: Candidate,
  card: Card | undefined,
  tally: Tally,
): SlackMessage {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const votes = tally.get(winner.movieId) ?? 0;
  const label = escapeMrkdwn(card ? cardLabel(card) : `Movie ${winner.movieId}`);
  const heading =
    total === 0
      ? `🏆 *Tonight's film: ${label}* (nobody voted, so the group's first pick)`
      : `🏆 *Tonight's film: ${label}* with ${votesLine(votes)} of ${total}`;
  return {
    text: clip(heading.replaceAll("*", ""), LIMITS.messageText),
    blocks: [section(heading), section(candidateText(card, winner, null), poster(card))],
  };
}

/** A plain notice to the channel (no poll, cancelled). */
export function nightNotice(text: string): SlackMessage {
  return { text: clip(text, LIMITS.messageText), blocks: [section(text)] };
}

/** The ephemeral picker a joiner without a profile gets: three movies, then "Save and join". */
export function nightPickerMessage(nightId: string): SlackMessage {
  return {
    text: `Pick ${NIGHT_PICKS} movies you like, so the group's picks fit you too.`,
    blocks: [
      {
        type: "section",
        block_id: PICKER_BLOCK_ID,
        text: {
          type: "mrkdwn",
          text: `*Pick ${NIGHT_PICKS} movies you like* so the movie night's films fit you too, then press *Save*.`,
        },
        accessory: {
          type: "multi_external_select",
          action_id: ACTIONS.pickMovies,
          placeholder: { type: "plain_text", text: "Movies you like", emoji: true },
          min_query_length: 1,
          max_selected_items: NIGHT_PICKS,
        },
      },
      {
        type: "actions",
        block_id: "movienight_picker_buttons",
        elements: [button(NIGHT_ACTIONS.savePicks, "Save", nightId, "primary")],
      },
    ],
  };
}

export function voteValue(nightId: string, movieId: number): string {
  return `${nightId}|${movieId}`;
}

export function parseVoteValue(
  value: string | undefined,
): { nightId: string; movieId: number } | null {
  const match = /^([0-9a-f-]{36})\|(\d{1,9})$/.exec(value ?? "");
  return match ? { nightId: match[1] as string, movieId: Number(match[2]) } : null;
}

const NIGHT_ID = /^[0-9a-f-]{36}$/;
export function parseNightId(value: string | undefined): string | null {
  return value && NIGHT_ID.test(value) ? value : null;
}

/** The help lines for /movienight. */
export function movienightHelp(joinMinutes: number, voteHours: number): SlackMessage {
  const text = [
    `*/movienight* — start a movie night in this channel: people press *I'm in* for ${joinMinutes} minutes, then I post the five films the group will enjoy most and everyone votes for ${voteHours} hour${voteHours === 1 ? "" : "s"}; the winner is announced here.`,
    "*/movienight @anna @ben* — the same, with Anna and Ben in from the start.",
    "*/movienight schedule fri 19:00 Europe/Zurich* — a movie night in this channel every week at that local time.",
    "*/movienight schedule list* — this workspace's weekly movie nights. *…schedule off* stops this channel's.",
    "I post with the `chat:write` permission: invite me to the channel first (`/invite @moviebot`).",
  ].join("\n");
  return { text: clip(text, LIMITS.messageText), blocks: [section(text)] };
}
