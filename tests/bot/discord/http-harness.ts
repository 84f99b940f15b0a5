import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
} from "discord-api-types/v10";
import { DiscordDeliverer } from "../../../bot/discord/discord-deliverer.ts";
import { createDiscordRouter } from "../../../bot/discord/http-transport.ts";
import type { DiscordMovieNight } from "../../../bot/discord/movienight-deps.ts";
import { createDiscordRest } from "../../../bot/discord/rest-client.ts";
import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../../core/cards/shared-cards-store.ts";
import { InProcessJobQueue } from "../../../core/jobs/in-process-job-queue.ts";
import type { Job, JobQueue } from "../../../core/jobs/job.ts";
import { runJob } from "../../../core/jobs/run-job.ts";
import type { TasteStore } from "../../../core/members/taste-store.ts";
import type { WatchSource } from "../../../core/watch/watch-source.ts";
import { FakeRecommender, FakeSearch, fakeCards } from "../../support/fakes.ts";
import { APP_ID } from "./interactions.ts";
import {
  applicationKeys,
  close,
  RestStandIn,
  serveRouter,
  signedHeaders,
  silentLogger,
} from "./support.ts";

/** Records submitted jobs on the way into the real in-process queue. */
export class RecordingQueue implements JobQueue {
  readonly submitted: Job[] = [];
  private readonly inner: JobQueue;
  constructor(inner: JobQueue) {
    this.inner = inner;
  }
  async submit(job: Job): Promise<void> {
    this.submitted.push(job);
    await this.inner.submit(job);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface ResponseBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: APIEmbed[];
    components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
    choices?: { name: string; value: string }[];
    allowed_mentions?: { parse: string[] };
  };
}

export const EPHEMERAL = 64;

export const customIds = (body: ResponseBody) =>
  (body.data?.components ?? []).flatMap((row) =>
    row.components.map((c) => ("custom_id" in c ? c.custom_id : "")),
  );

const keys = applicationKeys();

/**
 * The real Discord router on an ephemeral port, as the composition root wires it: fake search and
 * recommender behind a real CardService, the in-process queue running jobs with the real
 * deliverer, and a local REST stand-in (DISCORD_API_URL) that captures the webhook edits.
 */
export async function startEndpoint(
  options: {
    taste?: TasteStore;
    watch?: WatchSource;
    shared?: SharedCardsStore;
    /** A stand-in already started (one that plays Discord's channels, for movie nights). */
    rest?: RestStandIn;
    movienight?: DiscordMovieNight;
  } = {},
) {
  const rest = options.rest ?? new RestStandIn();
  if (!options.rest) await rest.start();
  const search = new FakeSearch();
  const recommender = new FakeRecommender();
  const cards = fakeCards({ search, recommender, taste: options.taste, watch: options.watch });
  const shared = options.shared ?? new MemorySharedCardsStore({ ttlMs: 60_000 });
  const deliverer = new DiscordDeliverer({
    rest: createDiscordRest({ apiUrl: rest.url, retries: 0 }),
    sharing: { store: shared, logger: silentLogger },
  });
  const jobs = new RecordingQueue(
    new InProcessJobQueue({ handler: (job) => runJob(cards, { discord: deliverer }, job) }),
  );
  const router = createDiscordRouter({
    applicationId: APP_ID,
    publicKey: keys.publicKeyHex,
    botToken: "bot-token-for-tests",
    apiUrl: rest.url,
    cards,
    search,
    jobs,
    shared,
    taste: options.taste,
    logger: silentLogger,
    budgets: { inlineMs: 300, autocompleteMs: 300 },
    ...(options.movienight ? { movienight: options.movienight } : {}),
  });
  const app = await serveRouter(router);
  const url = `${app.url}/discord/interactions`;

  /** POSTs an interaction signed as Discord signs it (or with the headers given). */
  async function post(body: unknown, headers?: Record<string, string>) {
    const text = JSON.stringify(body);
    const response = await fetch(url, {
      method: "POST",
      headers: headers ?? signedHeaders(keys.privateKey, text),
      body: text,
    });
    return { status: response.status, body: (await response.json()) as ResponseBody };
  }

  async function stop(): Promise<void> {
    await jobs.close();
    await close(app.server);
    await rest.stop();
  }

  return { url, keys, rest, search, recommender, jobs, post, stop };
}

export type Endpoint = Awaited<ReturnType<typeof startEndpoint>>;
