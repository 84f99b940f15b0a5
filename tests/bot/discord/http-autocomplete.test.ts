import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Endpoint, startEndpoint } from "./http-harness.ts";
import * as payload from "./interactions.ts";

let h: Endpoint;
beforeEach(async () => {
  h = await startEndpoint();
});
afterEach(() => h.stop());

describe("Discord interactions endpoint: autocomplete", () => {
  it("suggests movies for the focused option: ≤ 25 choices, names ≤ 100, value the movieId", async () => {
    const { body } = await h.post(
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

    const long = await h.post(payload.autocomplete("recommend", "movie1", { movie1: "forever" }));
    const [choice] = long.body.data?.choices ?? [];
    expect(choice?.value).toBe("99999");
    expect(choice?.name.length).toBeLessThanOrEqual(100);
    expect(choice?.name.endsWith("…")).toBe(true);
  });

  it("still answers when the search backend hangs: cached choices, else none", async () => {
    const first = await h.post(payload.autocomplete("recommend", "movie1", { movie1: "heat" }));
    expect(first.body.data?.choices).toEqual([{ name: "Heat (1995)", value: "6" }]);

    h.search.mode = "hang";
    const cached = await h.post(payload.autocomplete("recommend", "movie1", { movie1: "Heat" }));
    expect(cached.body).toEqual({
      type: 8,
      data: { choices: [{ name: "Heat (1995)", value: "6" }] },
    });

    const uncached = await h.post(payload.autocomplete("recommend", "movie1", { movie1: "toy" }));
    expect(uncached.status).toBe(200);
    expect(uncached.body).toEqual({ type: 8, data: { choices: [] } });
  });

  it("answers an empty list when search fails outright", async () => {
    h.search.mode = "fail";
    const { status, body } = await h.post(
      payload.autocomplete("recommend", "movie1", { movie1: "toy" }),
    );
    expect(status).toBe(200);
    expect(body).toEqual({ type: 8, data: { choices: [] } });
  });
});
