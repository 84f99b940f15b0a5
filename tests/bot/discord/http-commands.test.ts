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

describe("Discord interactions endpoint: /recommend and /popular", () => {
  it("answers inline, privately, with poster embeds, a More like… select and a Share button", async () => {
    const { body } = await h.post(payload.command("recommend", { movie1: "2571" }));
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
    expect(ids).toContain("more-like");
    // Only the short id the shown cards are kept under.
    expect(ids.find((id) => id.startsWith("share:"))).toMatch(/^share:[A-Za-z0-9_-]{16}$/);
    // A row of 👍 / 👎 / Seen it / Watchlist per card: three fit beside the select and Share.
    expect(embeds).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith("taste:"))).toHaveLength(12);
    expect(h.recommender.calls).toEqual([{ liked: [2571], limit: 8 }]);
    expect(h.jobs.submitted).toHaveLength(0);
  });

  it("defers (type 5) when the recommender is slow, then PATCHes the original message with embeds", async () => {
    h.recommender.hold();
    const interaction = payload.command("recommend", { movie1: "6" });
    const { body } = await h.post(interaction);
    expect(body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(h.rest.requests).toHaveLength(0);
    h.recommender.release();

    const patch = await h.rest.next((r) => r.method === "PATCH");
    expect(patch.path).toBe(
      `/api/v10/webhooks/${payload.APP_ID}/${interaction.token}/messages/@original`,
    );
    // The interaction token authorises the webhook; the bot token is never sent there.
    expect(patch.headers.authorization).toBeUndefined();
    const edited = patch.body as ResponseBody["data"];
    expect(edited?.content).toContain("Picked for you");
    expect(edited?.embeds?.[0]?.description).toBe("Because you liked Heat");
    expect(h.jobs.submitted.map((j) => j.id)).toEqual([interaction.id]);
    expect(h.jobs.submitted[0]?.reply).toEqual({
      platform: "discord",
      applicationId: payload.APP_ID,
      interactionToken: interaction.token,
      ephemeral: true,
    });
  });

  it("apologises in the deferred message when the work fails after deferring", async () => {
    h.recommender.hold();
    const { body } = await h.post(payload.command("popular"));
    expect(body).toEqual({ type: 5 });
    h.recommender.fail = true;
    h.recommender.release();
    const patch = await h.rest.next((r) => r.method === "PATCH");
    const edited = patch.body as ResponseBody["data"];
    expect(edited?.content).toMatch(/^Sorry/);
    expect(edited?.embeds).toEqual([]);
    expect(edited?.components).toEqual([]);
  });

  it("resolves typed titles through search and says which ones matched nothing", async () => {
    const { body } = await h.post(
      payload.command("recommend", { movie1: "heat", movie2: "matrx relodd **now**" }),
    );
    expect(body.type).toBe(4);
    expect(body.data?.content).toContain("Picked for you");
    expect(body.data?.content).toContain("I couldn't find “matrx relodd \\*\\*now\\*\\*”");
    expect(h.recommender.calls).toEqual([{ liked: [6], limit: 8 }]);
  });

  it("falls back to popular picks, saying so, when nothing typed matches", async () => {
    const { body } = await h.post(
      payload.command("recommend", { movie1: "zzzz", movie2: "424242" }),
    );
    expect(body.data?.content).toContain("None of your movies matched");
    expect(body.data?.content).toContain("“zzzz”, “424242”");
    expect(body.data?.embeds?.[0]?.description).toBe("Popular with MovieLens raters");
  });

  it("gives popular picks when no movie is picked", async () => {
    const { body } = await h.post(payload.command("recommend"));
    expect(body.data?.content).toContain("You didn't pick any movies");
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(h.recommender.calls).toEqual([{ liked: null, limit: 8 }]);
  });

  it("/popular posts for the whole channel, without a Share button", async () => {
    const { body } = await h.post(payload.command("popular"));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.content).toContain("Popular picks");
    // A row of controls per card: four fit beside the select.
    expect(body.data?.embeds).toHaveLength(4);
    expect(customIds(body).filter((id) => !id.startsWith("taste:"))).toEqual(["more-like"]);
  });

  it("answers an unknown command with a clear private message, not an error status", async () => {
    const { status, body } = await h.post(payload.command("frobnicate"));
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toContain("/frobnicate");
  });

  it("apologises privately when the work fails within the budget", async () => {
    h.recommender.fail = true;
    const { status, body } = await h.post(payload.command("popular"));
    expect(status).toBe(200);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.content).toMatch(/^Sorry/);
  });
});
