import type { Server } from "node:http";
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
} from "discord-api-types/v10";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordDeliverer } from "../../bot/discord/discord-deliverer.ts";
import { createDiscordRouter } from "../../bot/discord/http-transport.ts";
import { createDiscordRest } from "../../bot/discord/rest-client.ts";
import { InProcessJobQueue } from "../../core/jobs/in-process-job-queue.ts";
import type { Job, JobQueue } from "../../core/jobs/job.ts";
import { runJob } from "../../core/jobs/run-job.ts";
import * as payload from "./interactions.ts";
import {
  applicationKeys,
  close,
  FakePosters,
  FakeRecommender,
  FakeSearch,
  RestStandIn,
  serveRouter,
  signedHeaders,
  silentLogger,
  testCards,
} from "./support.ts";

/** Records submitted jobs on the way into the real in-process queue. */
class RecordingQueue implements JobQueue {
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

interface ResponseBody {
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

const keys = applicationKeys();
let rest: RestStandIn;
let search: FakeSearch;
let recommender: FakeRecommender;
let jobs: RecordingQueue;
let app: { url: string; server: Server };

beforeEach(async () => {
  rest = new RestStandIn();
  await rest.start();
  search = new FakeSearch();
  recommender = new FakeRecommender();
  const cards = testCards({ search, recommender, posters: new FakePosters() });
  const deliverer = new DiscordDeliverer({
    rest: createDiscordRest({ apiUrl: rest.url, retries: 0 }),
  });
  jobs = new RecordingQueue(
    new InProcessJobQueue({ handler: (job) => runJob(cards, { discord: deliverer }, job) }),
  );
  const router = createDiscordRouter({
    applicationId: payload.APP_ID,
    publicKey: keys.publicKeyHex,
    botToken: "bot-token-for-tests",
    apiUrl: rest.url,
    cards,
    search,
    jobs,
    logger: silentLogger,
    budgets: { inlineMs: 300, autocompleteMs: 300 },
  });
  app = await serveRouter(router);
});

afterEach(async () => {
  await jobs.close();
  await close(app.server);
  await rest.stop();
});

async function post(body: unknown, headers?: Record<string, string>) {
  const text = JSON.stringify(body);
  const response = await fetch(`${app.url}/discord/interactions`, {
    method: "POST",
    headers: headers ?? signedHeaders(keys.privateKey, text),
    body: text,
  });
  return { status: response.status, body: (await response.json()) as ResponseBody };
}

const EPHEMERAL = 64;
const customIds = (body: ResponseBody) =>
  (body.data?.components ?? []).flatMap((row) =>
    row.components.map((c) => ("custom_id" in c ? c.custom_id : "")),
  );

describe("Discord interactions endpoint: signatures", () => {
  it("answers a signed PING with PONG", async () => {
    const { status, body } = await post(payload.ping());
    expect(status).toBe(200);
    expect(body).toEqual({ type: 1 });
  });

  it("rejects missing headers with 401 and processes nothing", async () => {
    const text = JSON.stringify(payload.command("recommend", { movie1: "2571" }));
    const response = await fetch(`${app.url}/discord/interactions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: text,
    });
    expect(response.status).toBe(401);
    expect(recommender.calls).toHaveLength(0);
  });

  it("rejects a signature from another key, and a body changed after signing", async () => {
    const other = applicationKeys();
    const body = payload.command("popular");
    const text = JSON.stringify(body);
    const forged = await post(body, signedHeaders(other.privateKey, text));
    expect(forged.status).toBe(401);

    const headers = signedHeaders(keys.privateKey, text);
    const tampered = await fetch(`${app.url}/discord/interactions`, {
      method: "POST",
      headers,
      body: text.replace("popular", "recommend"),
    });
    expect(tampered.status).toBe(401);

    const garbled = await post(body, { ...headers, "x-signature-ed25519": "zz" });
    expect(garbled.status).toBe(401);
    expect(recommender.calls).toHaveLength(0);
  });
});

describe("Discord interactions endpoint: autocomplete", () => {
  it("suggests movies for the focused option: ≤ 25 choices, names ≤ 100, value the movieId", async () => {
    const { body } = await post(
      payload.autocomplete("recommend", "movie2", { movie1: "2571", movie2: "matrix" }),
    );
    expect(body.type).toBe(8);
    const choices = body.data?.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    // The Matrix is already picked in movie1, so only the sequels are offered.
    expect(choices).toEqual([
      { name: "The Matrix Reloaded (2003)", value: "6365" },
      { name: "The Matrix Revolutions (2003)", value: "6934" },
    ]);

    const long = await post(payload.autocomplete("recommend", "movie1", { movie1: "forever" }));
    const [choice] = long.body.data?.choices ?? [];
    expect(choice?.value).toBe("99999");
    expect(choice?.name.length).toBeLessThanOrEqual(100);
    expect(choice?.name.endsWith("…")).toBe(true);
  });

  it("still answers when the search backend hangs: cached choices, else none", async () => {
    const first = await post(payload.autocomplete("recommend", "movie1", { movie1: "heat" }));
    expect(first.body.data?.choices).toEqual([{ name: "Heat (1995)", value: "6" }]);

    search.mode = "hang";
    const cached = await post(payload.autocomplete("recommend", "movie1", { movie1: "Heat" }));
    expect(cached.body).toEqual({
      type: 8,
      data: { choices: [{ name: "Heat (1995)", value: "6" }] },
    });

    const uncached = await post(payload.autocomplete("recommend", "movie1", { movie1: "toy" }));
    expect(uncached.status).toBe(200);
    expect(uncached.body).toEqual({ type: 8, data: { choices: [] } });
  });

  it("answers an empty list when search fails outright", async () => {
    search.mode = "fail";
    const { status, body } = await post(
      payload.autocomplete("recommend", "movie1", { movie1: "toy" }),
    );
    expect(status).toBe(200);
    expect(body).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe("Discord interactions endpoint: /recommend and /popular", () => {
  it("answers inline, privately, with poster embeds, a More like… select and a Share button", async () => {
    const { body } = await post(payload.command("recommend", { movie1: "2571" }));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toContain("Picked for you");
    const embeds = body.data?.embeds ?? [];
    expect(embeds.length).toBeGreaterThan(0);
    expect(embeds.length).toBeLessThanOrEqual(10);
    expect(embeds.map((e) => e.title)).not.toContain("The Matrix (1999)");
    expect(embeds[0]).toMatchObject({
      title: "The Matrix Reloaded (2003)",
      url: "https://www.themoviedb.org/movie/7365",
      description: "Because you liked The Matrix",
      thumbnail: { url: "https://posters.example/6365.jpg" },
    });
    const ids = customIds(body);
    expect(ids[0]).toBe("more-like");
    expect(ids[1]).toMatch(/^share:6365,6934,/);
    expect(recommender.calls).toEqual([{ liked: [2571], limit: 8 }]);
    expect(jobs.submitted).toHaveLength(0);
  });

  it("defers (type 5) when the recommender is slow, then PATCHes the original message with embeds", async () => {
    recommender.hold();
    const interaction = payload.command("recommend", { movie1: "6" });
    const { body } = await post(interaction);
    expect(body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(rest.requests).toHaveLength(0);
    recommender.release();

    const patch = await rest.next((r) => r.method === "PATCH");
    expect(patch.path).toBe(
      `/api/v10/webhooks/${payload.APP_ID}/${interaction.token}/messages/@original`,
    );
    // The interaction token authorises the webhook; the bot token is never sent there.
    expect(patch.headers.authorization).toBeUndefined();
    const edited = patch.body as ResponseBody["data"];
    expect(edited?.content).toContain("Picked for you");
    expect(edited?.embeds?.[0]?.description).toBe("Because you liked Heat");
    expect(jobs.submitted.map((j) => j.id)).toEqual([interaction.id]);
    expect(jobs.submitted[0]?.reply).toEqual({
      platform: "discord",
      applicationId: payload.APP_ID,
      interactionToken: interaction.token,
      ephemeral: true,
    });
  });

  it("apologises in the deferred message when the work fails after deferring", async () => {
    recommender.hold();
    const { body } = await post(payload.command("popular"));
    expect(body).toEqual({ type: 5 });
    recommender.fail = true;
    recommender.release();
    const patch = await rest.next((r) => r.method === "PATCH");
    const edited = patch.body as ResponseBody["data"];
    expect(edited?.content).toMatch(/^Sorry/);
    expect(edited?.embeds).toEqual([]);
    expect(edited?.components).toEqual([]);
  });

  it("resolves typed titles through search and says which ones matched nothing", async () => {
    const { body } = await post(
      payload.command("recommend", { movie1: "heat", movie2: "matrx relodd **now**" }),
    );
    expect(body.type).toBe(4);
    expect(body.data?.content).toContain("Picked for you");
    expect(body.data?.content).toContain("I couldn't find “matrx relodd \\*\\*now\\*\\*”");
    expect(recommender.calls).toEqual([{ liked: [6], limit: 8 }]);
  });

  it("falls back to popular picks, saying so, when nothing typed matches", async () => {
    const { body } = await post(payload.command("recommend", { movie1: "zzzz", movie2: "424242" }));
    expect(body.data?.content).toContain("None of your movies matched");
    expect(body.data?.content).toContain("“zzzz”, “424242”");
    expect(body.data?.embeds?.[0]?.description).toBe("Popular with MovieLens raters");
  });

  it("gives popular picks when no movie is picked", async () => {
    const { body } = await post(payload.command("recommend"));
    expect(body.data?.content).toContain("You didn't pick any movies");
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(recommender.calls).toEqual([{ liked: null, limit: 8 }]);
  });

  it("/popular posts for the whole channel, without a Share button", async () => {
    const { body } = await post(payload.command("popular"));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.content).toContain("Popular picks");
    expect(body.data?.embeds).toHaveLength(8);
    expect(customIds(body)).toEqual(["more-like"]);
  });

  it("answers an unknown command with a clear private message, not an error status", async () => {
    const { status, body } = await post(payload.command("frobnicate"));
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toContain("/frobnicate");
  });

  it("apologises privately when the work fails within the budget", async () => {
    recommender.fail = true;
    const { status, body } = await post(payload.command("popular"));
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/^Sorry/);
  });
});

describe("Discord interactions endpoint: components", () => {
  it('"More like…" answers the clicker privately with picks for the chosen movie', async () => {
    const { body } = await post(payload.select("more-like", ["318"]));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toBe("Because you liked The Shawshank Redemption");
    expect(recommender.calls).toEqual([{ liked: [318], limit: 8 }]);
  });

  it('"More like…" defers through the queue when slow', async () => {
    recommender.hold();
    const interaction = payload.select("more-like", ["318"]);
    const { body } = await post(interaction);
    expect(body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    recommender.release();
    const patch = await rest.next((r) => r.method === "PATCH");
    expect(patch.path).toContain(interaction.token);
    expect((patch.body as ResponseBody["data"])?.embeds?.length).toBeGreaterThan(0);
  });

  it("Share to channel reposts the private results for everyone", async () => {
    const first = await post(payload.command("recommend", { movie1: "2571" }));
    const shareId = customIds(first.body).find((id) => id.startsWith("share:")) ?? "";
    const embeds = first.body.data?.embeds ?? [];

    const { body } = await post(payload.button(shareId, embeds));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.content).toBe("<@444444444444444444> shared these picks:");
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(body.data?.embeds?.map((e) => e.title)).toEqual(embeds.map((e) => e.title));
    expect(body.data?.embeds?.[0]?.thumbnail?.url).toBe("https://posters.example/6365.jpg");
    expect(customIds(body)).toEqual(["more-like"]);
  });

  it("answers a stale or unknown button with a clear private message", async () => {
    const { status, body } = await post(payload.button("vote:42"));
    expect(status).toBe(200);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toContain("/recommend");
  });
});

describe("Discord interactions endpoint: malformed but signed bodies", () => {
  it("answers 400, never 500, to a body that is not JSON or not an interaction", async () => {
    const notJson = "{oops";
    const first = await fetch(`${app.url}/discord/interactions`, {
      method: "POST",
      headers: signedHeaders(keys.privateKey, notJson),
      body: notJson,
    });
    expect(first.status).toBe(400);
    const second = await post({ type: 2, id: "1", token: "t", application_id: "x" });
    expect(second.status).toBe(400);
  });
});
