import {
  ButtonStyle,
  ComponentType,
  PollLayoutType,
  type RESTAPIPoll,
} from "discord-api-types/v10";
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
import { cardLabel, clip } from "../chat/chat-shared.ts";
import { button, cardEmbed, fittingCards, LIMITS, type MessagePayload } from "./embeds.ts";

/** The picker's count is the core's, the same on every platform. */
export { NIGHT_PICKS };

/** Discord's poll limits: 10 answers of at most 55 characters, a question of at most 300. */
export const POLL_LIMITS = { answers: 10, answerText: 55, questionText: 300 } as const;

/** custom_ids of movie-night components; each carries the night's id (a UUID, 36 characters). */
const PREFIX = {
  join: "movienight:join:",
  cancel: "movienight:cancel:",
  picks: "movienight:picks:",
};
export type NightClick = { kind: keyof typeof PREFIX; nightId: string };
const NIGHT_ID = /^[0-9a-f-]{36}$/;

export function nightCustomId(kind: NightClick["kind"], nightId: string): string {
  return `${PREFIX[kind]}${nightId}`;
}

/** The click a custom_id stands for, or null when it is not a movie-night component. */
export function parseNightCustomId(customId: string): NightClick | null {
  for (const kind of Object.keys(PREFIX) as NightClick["kind"][]) {
    const prefix = PREFIX[kind];
    if (!customId.startsWith(prefix)) continue;
    const nightId = customId.slice(prefix.length);
    return NIGHT_ID.test(nightId) ? { kind, nightId } : null;
  }
  return null;
}

/** A user mention; Discord shows the member's name. */
export const mention = (user: string) => `<@${user}>`;
const names = (users: readonly string[]) => users.map(mention).join(", ");

/** Discord renders `<t:…:t>` in each reader's own time zone. */
const localTime = (epochMs: number) => `<t:${Math.floor(epochMs / 1000)}:t>`;

/** The join post: who is in, who must pick first (pinged: they were named to be asked), buttons. */
export function joinPayload(view: NightView, schedule: NightSchedule | null): MessagePayload {
  const { night, participants, withoutProfile } = view;
  const lines = [
    schedule
      ? `🎬 **Weekly movie night!** (${describeWeekly(schedule)}, set by ${mention(schedule.setBy)})`
      : `🎬 **${mention(night.starter)} started a movie night!**`,
    `Press **I'm in** to join: at ${localTime(night.joinUntil)} I'll post the five films this ` +
      "group will enjoy most, and you vote in a poll.",
  ];
  if (participants.length > 0) lines.push(`**In:** ${names(participants.map((p) => p.user))}`);
  if (withoutProfile.length > 0) {
    lines.push(
      `${names(withoutProfile)}: I don't know your taste yet. Press **I'm in** to pick ` +
        `${NIGHT_PICKS} movies you like first.`,
    );
  }
  return {
    content: clip(lines.join("\n"), LIMITS.contentChars),
    embeds: [],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          button(nightCustomId("join", night.id), "I'm in", ButtonStyle.Primary),
          button(nightCustomId("cancel", night.id), "Cancel", ButtonStyle.Danger),
        ],
      },
    ],
    allowed_mentions: { parse: [], users: withoutProfile.slice(0, 100) },
  };
}

export function cancelledText(night: MovieNight): string {
  return `🎬 This movie night was cancelled by ${mention(night.starter)}.`;
}

/** Any earlier post once it no longer takes clicks. */
export function closedPayload(text: string): MessagePayload {
  return {
    content: clip(text, LIMITS.contentChars),
    embeds: [],
    components: [],
    allowed_mentions: { parse: [] },
  };
}

/** The posters of the poll's films, in the poll's order, with the starter's Cancel. */
export function postersPayload(
  night: MovieNight,
  candidates: readonly Candidate[],
  cards: ReadonlyMap<number, Card>,
): MessagePayload {
  const shown = candidates.flatMap((c) => {
    const card = cards.get(c.movieId);
    // The group's reason replaces the single-member one the card service wrote.
    return card ? [{ ...card, reason: c.reason }] : [];
  });
  return {
    content: `🍿 **Movie night: the group's ${candidates.length} films.** Vote in the poll below; it closes at ${localTime(night.voteUntil ?? Date.now())}.`,
    embeds: fittingCards(shown).embeds,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          button(nightCustomId("cancel", night.id), "Cancel movie night", ButtonStyle.Danger),
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/**
 * The vote as Discord's native poll, in a message of its own (a poll message cannot carry
 * Components V2): one answer per film in the group's order, so answer_id n is the n-th candidate.
 */
export function pollPayload(
  candidates: readonly Candidate[],
  cards: ReadonlyMap<number, Card>,
  voteHours: number,
): { poll: RESTAPIPoll; allowed_mentions: { parse: [] } } {
  return {
    poll: {
      question: { text: clip("🎬 Which film tonight?", POLL_LIMITS.questionText) },
      answers: candidates.slice(0, POLL_LIMITS.answers).map((c) => {
        const card = cards.get(c.movieId);
        return {
          poll_media: {
            text: clip(card ? cardLabel(card) : `Movie ${c.movieId}`, POLL_LIMITS.answerText),
          },
        };
      }),
      // Discord counts a poll's duration in whole hours.
      duration: Math.max(1, Math.round(voteHours)),
      allow_multiselect: false,
      layout_type: PollLayoutType.Default,
    },
    allowed_mentions: { parse: [] },
  };
}

const votes = (n: number) => (n === 1 ? "1 vote" : `${n} votes`);

/** The winner, with its card. */
export function winnerPayload(
  winner: Candidate,
  card: Card | undefined,
  tally: Tally,
): MessagePayload {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const label = card ? cardLabel(card) : `Movie ${winner.movieId}`;
  const heading =
    total === 0
      ? `🏆 **Tonight's film: ${label}** (nobody voted, so the group's first pick)`
      : `🏆 **Tonight's film: ${label}** with ${votes(tally.get(winner.movieId) ?? 0)} of ${total}`;
  return {
    content: clip(heading, LIMITS.contentChars),
    embeds: card ? [cardEmbed({ ...card, reason: winner.reason })] : [],
    components: [],
    allowed_mentions: { parse: [] },
  };
}

/** The ephemeral picker for a joiner without a profile: a select of popular films, three picks. */
export function pickerPayload(nightId: string, films: readonly Card[]): MessagePayload {
  const options = films.slice(0, LIMITS.selectOptions).map((card) => ({
    label: clip(cardLabel(card), LIMITS.selectLabel),
    value: String(card.movieId),
    ...(card.genres.length > 0
      ? { description: clip(card.genres.join(", "), LIMITS.selectDescription) }
      : {}),
  }));
  return {
    content:
      `You're in! I don't know your taste yet: pick ${NIGHT_PICKS} movies you like so the group's ` +
      "films fit you too (not in the list? 👍 films under `/recommend`'s cards, then press I'm in again).",
    embeds: [],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: nightCustomId("picks", nightId),
            placeholder: `${NIGHT_PICKS} movies you like`,
            min_values: Math.min(NIGHT_PICKS, options.length),
            max_values: Math.min(NIGHT_PICKS, options.length),
            options,
          },
        ],
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The help for /movienight. */
export function helpText(joinMinutes: number, voteHours: number): string {
  return [
    `**/movienight start** — a movie night in this channel: people press **I'm in** for ${joinMinutes} minutes, then I post the five films the group will enjoy most as a poll open for ${voteHours} hour${voteHours === 1 ? "" : "s"}; the winner is announced here.`,
    "**/movienight start member1:@anna member2:@ben** — the same, with Anna and Ben in from the start.",
    "**/movienight schedule day:fri time:19:00 zone:Europe/Zurich** — a movie night here every week at that local time. **/movienight off** stops it, **/movienight list** shows this server's.",
    "I post with my bot token, so I need **View Channel, Send Messages, Send Polls, Embed Links and Read Message History** in this channel.",
  ].join("\n");
}
