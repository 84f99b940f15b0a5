import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  customIds,
  type Endpoint,
  EPHEMERAL,
  type ResponseBody,
  startEndpoint,
} from "./http-harness.ts";
import * as payload from "./interactions.ts";

let h: Endpoint;
beforeEach(async () => {
  h = await startEndpoint();
});
afterEach(() => h.stop());

describe("Discord interactions endpoint: components", () => {
  it('"More like…" answers the clicker privately with picks for the chosen movie', async () => {
    const { body } = await h.post(payload.select("more-like", ["318"]));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toBe("Because you liked The Shawshank Redemption");
    expect(h.recommender.calls).toEqual([{ liked: [318], limit: 8 }]);
  });

  it('a weak title match\'s candidate button answers like "More like…" for that movie', async () => {
    const { body } = await h.post(payload.button("more-like:318"));
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.description).toBe("Because you liked The Shawshank Redemption");
    expect(h.recommender.calls).toEqual([{ liked: [318], limit: 8 }]);
    const stale = await h.post(payload.button("more-like:999999999"));
    expect(stale.body.data?.content).toContain("no longer in the catalog");
  });

  it('"More like…" defers through the queue when slow', async () => {
    h.recommender.hold();
    const interaction = payload.select("more-like", ["318"]);
    const { body } = await h.post(interaction);
    expect(body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    h.recommender.release();
    const patch = await h.rest.next((r) => r.method === "PATCH");
    expect(patch.path).toContain(interaction.token);
    expect((patch.body as ResponseBody["data"])?.embeds?.length).toBeGreaterThan(0);
  });

  it("Share to channel reposts the private results for everyone", async () => {
    const first = await h.post(payload.command("recommend", { movie1: "2571" }));
    const shareId = customIds(first.body).find((id) => id.startsWith("share:")) ?? "";
    const embeds = first.body.data?.embeds ?? [];

    const { body } = await h.post(payload.button(shareId, embeds));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.content).toBe("<@444444444444444444> shared these picks:");
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(body.data?.embeds?.map((e) => e.title)).toEqual(embeds.map((e) => e.title));
    expect(body.data?.embeds?.[0]?.thumbnail?.url).toBe("https://posters.example/6365.jpg");
    expect(customIds(body)).toEqual(["more-like"]);
  });

  it("answers a stale or unknown button with a clear private message", async () => {
    const { status, body } = await h.post(payload.button("vote:42"));
    expect(status).toBe(200);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toContain("/recommend");
  });
});
