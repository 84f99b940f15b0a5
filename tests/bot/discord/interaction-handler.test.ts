import { describe, expect, it } from "vitest";
import type { DiscordTarget } from "../../../bot/discord/discord-deliverer.ts";
import { DiscordInteractionHandler } from "../../../bot/discord/interaction-handler.ts";
import type { DiscordInput } from "../../../bot/discord/interaction-input.ts";
import { MemorySharedCardsStore } from "../../../core/cards/shared-cards-store.ts";
import type { Job, JobQueue, JobResult, ReplyDeliverer } from "../../../core/jobs/job.ts";
import { FakeRecommender, FakeSearch, fakeCards } from "../../support/fakes.ts";
import { silentLogger } from "./support.ts";

class RecordingDeliverer implements ReplyDeliverer<DiscordTarget> {
  readonly apologies: { target: DiscordTarget; message: string }[] = [];
  async deliver(_target: DiscordTarget, _result: JobResult): Promise<void> {}
  async apologize(target: DiscordTarget, message: string): Promise<void> {
    this.apologies.push({ target, message });
  }
}

class BrokenQueue implements JobQueue {
  async submit(_job: Job): Promise<void> {
    throw new Error("redis is down");
  }
  async close(): Promise<void> {}
}

const meta = {
  id: "42",
  token: "tok",
  applicationId: "app",
  userId: "u1",
  receivedAt: Date.now(),
};

describe("DiscordInteractionHandler", () => {
  it("apologises in the deferred message when the job cannot be queued", async () => {
    const recommender = new FakeRecommender();
    recommender.hold();
    const fallback = new RecordingDeliverer();
    const handler = new DiscordInteractionHandler({
      cards: fakeCards({ recommender, posters: null }),
      search: new FakeSearch(),
      jobs: new BrokenQueue(),
      shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
      logger: silentLogger,
      fallback,
      budgets: { inlineMs: 50 },
    });
    const input: DiscordInput = { kind: "command", meta, command: "popular", options: {} };
    const outcome = await handler.handle(input);
    expect(outcome.response).toEqual({ type: 5 });
    await outcome.afterResponse?.();
    recommender.release();
    expect(fallback.apologies).toEqual([
      {
        target: {
          platform: "discord",
          applicationId: "app",
          interactionToken: "tok",
          ephemeral: false,
        },
        message: expect.stringMatching(/^Sorry/),
      },
    ]);
  });

  it("answers a More like… value that is not a catalog movie with a clear private message", async () => {
    const handler = new DiscordInteractionHandler({
      cards: fakeCards({ posters: null }),
      search: new FakeSearch(),
      jobs: new BrokenQueue(),
      shared: new MemorySharedCardsStore({ ttlMs: 60_000 }),
      logger: silentLogger,
      fallback: new RecordingDeliverer(),
    });
    const outcome = await handler.handle({
      kind: "component",
      meta,
      customId: "more-like",
      values: ["not-a-number"],
    });
    expect(outcome.response).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining("no longer in the catalog") },
    });
  });
});
