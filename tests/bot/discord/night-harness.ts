import { DiscordNightPublisher } from "../../../bot/discord/discord-night-publisher.ts";
import type { DiscordMovieNight } from "../../../bot/discord/movienight-deps.ts";
import { mention } from "../../../bot/discord/movienight-messages.ts";
import { createDiscordRest } from "../../../bot/discord/rest-client.ts";
import { memberId, type TasteStore } from "../../../core/members/taste-store.ts";
import { GroupRecommender } from "../../../core/movienight/group-recommender.ts";
import { InProcessNightTimers } from "../../../core/movienight/in-process-night-timers.ts";
import type { MovieNightStore } from "../../../core/movienight/movie-night.ts";
import { MovieNightService } from "../../../core/movienight/movie-night-service.ts";
import { fakeCards } from "../../support/fakes.ts";
import type { NightEngine } from "../../support/movie-night-engines.ts";
import { TableRecommender } from "../../support/table-recommender.ts";
import type { DiscordChannelsStandIn } from "./discord-channels-stand-in.ts";
import { base, message } from "./interactions.ts";
import { silentLogger } from "./support.ts";

export const GUILD = "333333333333333333";
export const CHANNEL = "222222222222222222";
/** ada is the user of every payload in interactions.ts. */
export const ADA = "444444444444444444";
export const BEN = "555555555555555551";
export const NEWBIE = "555555555555555552";

/** Lists over the test catalog's ids (tests/support/tiny-catalog.ts): a member's first like names one. */
export const recommender = new TableRecommender(
  {
    1: [318, 296, 356, 593, 6, 2571, 6365],
    6: [296, 318, 593, 356, 2571, 1, 6365],
  },
  [2571, 6365, 6934, 6, 1, 318, 296, 356, 593],
);

export async function seedMembers(taste: TasteStore): Promise<void> {
  await taste.addLikes(memberId("discord", GUILD, ADA), [1]);
  await taste.addLikes(memberId("discord", GUILD, BEN), [6]);
}

/**
 * One bot process: its own store connections, in-process timers and service on the shared
 * database, with the Discord publisher posting to the stand-in with the bot token.
 */
export async function nightProcess(
  engine: NightEngine,
  api: DiscordChannelsStandIn,
  options: { now?: () => number; voteHours?: number } = {},
) {
  const store: MovieNightStore = await engine.openNights();
  const taste = await engine.openTaste();
  const now = options.now ?? Date.now;
  const timers = new InProcessNightTimers({ now });
  const cards = fakeCards({ recommender, taste });
  const voteHours = options.voteHours ?? 1;
  const publisher = new DiscordNightPublisher({
    rest: createDiscordRest({ botToken: "bot-token-for-tests", apiUrl: api.url, retries: 0 }),
    cards,
    logger: silentLogger,
    voteHours,
  });
  const service = new MovieNightService({
    store,
    taste,
    group: new GroupRecommender(recommender, { misery: 0.1, pool: 7 }),
    timers,
    publishers: { discord: publisher },
    settings: { joinMinutes: 10, voteHours },
    labels: { discord: mention },
    now,
  });
  timers.handle((job) => service.run(job));
  const movienight: DiscordMovieNight = { service, publisher, logger: silentLogger };
  return {
    store,
    taste,
    timers,
    service,
    publisher,
    movienight,
    async stop() {
      await timers.close();
      await store.close();
      await taste.close();
    },
  };
}

export type NightProcess = Awaited<ReturnType<typeof nightProcess>>;

/** Unique across processes: the night tests share a database and Redis between processes. */
const unique = (kind: string) => ({
  id: `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
  token: `${kind}-token-${Math.random().toString(36).slice(2)}`,
});

/** A /movienight interaction with a subcommand, from `user` (ada by default). */
export function nightCommand(
  subcommand: string,
  options: Record<string, { type: number; value: string }> = {},
  user = ADA,
) {
  return withUser(
    {
      ...base(2),
      ...unique("night"),
      data: {
        id: "555555555555555555",
        name: "movienight",
        type: 1,
        options: [
          {
            name: subcommand,
            type: 1,
            options: Object.entries(options).map(([name, o]) => ({ name, ...o })),
          },
        ],
      },
    },
    user,
  );
}

/** A click on one of a channel message's components, as Discord posts it. */
export function nightClickPayload(
  customId: string,
  user: string,
  values?: string[],
  ephemeral = false,
) {
  return withUser(
    {
      ...base(3),
      ...unique("click"),
      message: message([], ephemeral, 0),
      data: values
        ? { custom_id: customId, component_type: 3, values }
        : { custom_id: customId, component_type: 2 },
    },
    user,
  );
}

function withUser<T extends { member: object }>(payload: T, user: string) {
  return {
    ...payload,
    member: {
      ...payload.member,
      user: { id: user, username: `u${user.slice(-2)}`, discriminator: "0", avatar: null },
    },
  };
}
