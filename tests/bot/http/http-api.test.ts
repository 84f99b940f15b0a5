import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiRouter } from "../../../bot/http/api-routes.ts";
import { HttpServer } from "../../../bot/http/server.ts";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { CardService } from "../../../core/cards/card-service.ts";
import { NoPosters } from "../../../core/posters/poster-source.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { FakeRecommender, FakeSearch } from "../../support/fakes.ts";
import { itWith, realMovieLens } from "../../support/requirements.ts";

const logger = pino({ level: "silent" });
let server: HttpServer;
let base: string;

beforeAll(async () => {
  const catalog = await loadMovieLens(MOVIELENS_DIR);
  const cards = new CardService({
    catalog,
    search: new FakeSearch(catalog),
    recommender: new FakeRecommender({ catalog }),
    posters: new NoPosters(),
  });
  server = new HttpServer(logger);
  const port = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
  // Health is 503 until the core is installed.
  const starting = await fetch(`${base}/healthz`);
  expect(starting.status).toBe(503);
  expect((await fetch(`${base}/api/popular`)).status).toBe(503);
  server.ready(createApiRouter(cards, logger));
});

afterAll(() => server.close());

async function get(path: string) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("HTTP API contract", () => {
  it("reports healthy once ready", async () => {
    expect((await get("/healthz")).status).toBe(200);
  });

  itWith(realMovieLens)("suggests titles in display form", async () => {
    const { status, body } = await get("/api/suggest?q=toy%20story&limit=3");
    expect(status).toBe(200);
    expect(body.results).toContainEqual({
      movieId: 1,
      title: "Toy Story",
      year: 1995,
      label: "Toy Story (1995)",
    });
    expect((body.results as unknown[]).length).toBeLessThanOrEqual(3);
  });

  itWith(realMovieLens)("recommends with the documented shape, reporting unknown ids", async () => {
    const { status, body } = await get("/api/recommend?liked=1,6,99999999&limit=5");
    expect(status).toBe(200);
    expect(body.strategy).toBe("personalized");
    expect(body.ignored).toEqual([99999999]);
    const results = body.results as Record<string, unknown>[];
    expect(results).toHaveLength(5);
    for (const r of results) {
      expect(r).toMatchObject({
        movieId: expect.any(Number),
        title: expect.any(String),
        score: expect.any(Number),
      });
      expect(Array.isArray(r.genres)).toBe(true);
      expect(r.posterUrl).toBeNull();
      // Without a TMDB key there is nothing to say about where to watch.
      expect(r.watch).toBeNull();
      expect(r.trailerUrl).toBeNull();
      expect([1, 6]).not.toContain(r.movieId);
    }
    expect(results[0]?.reason).toBe("Because you liked Toy Story");
  });

  it("falls back to popular picks with no liked ids, or only unknown ones", async () => {
    expect((await get("/api/recommend")).body.strategy).toBe("popular");
    const unknownOnly = await get("/api/recommend?liked=99999998");
    expect(unknownOnly.body).toMatchObject({ strategy: "popular", ignored: [99999998] });
    const popular = await get("/api/popular?limit=4");
    expect(popular.status).toBe(200);
    expect(popular.body.strategy).toBe("popular");
    expect(popular.body.results).toHaveLength(4);
  });

  it.each([
    ["/api/suggest", /q is required/],
    ["/api/suggest?q=%20%20", /q is required/],
    [`/api/suggest?q=${"a".repeat(201)}`, /at most 200 characters/],
    ["/api/suggest?q=heat&limit=26", /limit must be between 1 and 25/],
    ["/api/suggest?q=heat&limit=abc", /limit must be a whole number/],
    ["/api/suggest?q=heat&q=toy", /q/],
    ["/api/recommend?liked=1,abc", /"abc" is not one/],
    ["/api/recommend?liked=1.5", /"1.5" is not one/],
    ["/api/recommend?liked=-3", /"-3" is not one/],
    [`/api/recommend?liked=${Array.from({ length: 26 }, (_, i) => i + 1).join(",")}`, /at most 25/],
    ["/api/recommend?liked=1&limit=0", /limit must be between 1 and 50/],
    ["/api/recommend?liked=1&limit=51", /limit must be between 1 and 50/],
    ["/api/popular?limit=1e3", /limit must be a whole number/],
    ["/api/popular?region=CHE", /region must be a two-letter country code/],
    ["/api/recommend?liked=1&region=1A", /region must be a two-letter country code/],
    ["/api/recommend?region=", /region must be a two-letter country code/],
    ["/api/popular?region=CH&region=DE", /region must be a single/],
  ])("answers 400 with a message for %s", async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it("answers 404 JSON for unknown paths", async () => {
    const { status, body } = await get("/api/nope");
    expect(status).toBe(404);
    expect(body.error).toMatch(/Unknown API path/);
  });
});
