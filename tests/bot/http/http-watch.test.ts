import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiRouter } from "../../../bot/http/api-routes.ts";
import { HttpServer } from "../../../bot/http/server.ts";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { TmdbClient } from "../../../core/adapters/tmdb/tmdb-client.ts";
import { TmdbWatchSource } from "../../../core/adapters/tmdb/tmdb-watch-source.ts";
import { CardService } from "../../../core/cards/card-service.ts";
import { NoPosters } from "../../../core/posters/poster-source.ts";
import { MemoryWatchCache } from "../../../core/watch/watch-cache.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { FakeRecommender, FakeSearch } from "../../support/fakes.ts";
import { startLocalServer } from "../../support/local-server.ts";

// The HTTP API with a TMDB stand-in: every film streams on "Stream CH" in CH and has a trailer;
// no film has providers in the US (the default region here).
const logger = pino({ level: "silent" });
let server: HttpServer;
let tmdb: Awaited<ReturnType<typeof startLocalServer>>;
let base: string;

beforeAll(async () => {
  tmdb = await startLocalServer((req, res) => {
    res.setHeader("content-type", "application/json");
    const id = /^\/movie\/(\d+)/.exec(req.url)?.[1];
    if (req.url.includes("/watch/providers")) {
      res.end(
        JSON.stringify({
          id: Number(id),
          results: {
            CH: {
              link: `https://www.themoviedb.org/movie/${id}/watch?locale=CH`,
              flatrate: [{ provider_name: "Stream CH", logo_path: "/s.jpg", display_priority: 1 }],
              rent: [{ provider_name: "Rent CH", logo_path: "/r.jpg", display_priority: 1 }],
            },
          },
        }),
      );
    } else if (req.url.includes("/videos")) {
      res.end(
        JSON.stringify({
          results: [{ site: "YouTube", type: "Trailer", official: true, key: `t${id}` }],
        }),
      );
    } else {
      res.writeHead(404);
      res.end("{}");
    }
  });
  const catalog = await loadMovieLens(MOVIELENS_DIR);
  const cards = new CardService({
    catalog,
    search: new FakeSearch(catalog),
    recommender: new FakeRecommender({ catalog }),
    posters: new NoPosters(),
    watch: new TmdbWatchSource({
      client: new TmdbClient({ apiUrl: tmdb.url, apiKey: "k" }),
      cache: new MemoryWatchCache(),
      logoBaseUrl: "https://img",
    }),
    defaultRegion: "US",
  });
  server = new HttpServer(logger);
  const port = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
  server.ready(createApiRouter(cards, logger));
});

afterAll(async () => {
  await server.close();
  await tmdb.close();
});

async function get(path: string) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("HTTP API: where to watch", () => {
  it("gives each result the region's providers, credited to JustWatch, and the trailer", async () => {
    const { status, body } = await get("/api/recommend?liked=1&limit=3&region=ch");
    expect(status).toBe(200);
    const results = body.results as Record<string, unknown>[];
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.watch).toEqual({
        region: "CH",
        link: expect.stringMatching(
          /^https:\/\/www\.themoviedb\.org\/movie\/\d+\/watch\?locale=CH$/,
        ),
        flatrate: ["Stream CH"],
        rent: ["Rent CH"],
        buy: [],
        attribution: "JustWatch",
      });
      expect(r.trailerUrl).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=t\d+$/);
    }
  });

  it("uses the default region when none is asked, and says null where it has no data", async () => {
    const { status, body } = await get("/api/popular?limit=2");
    expect(status).toBe(200);
    const results = body.results as Record<string, unknown>[];
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.watch).toBeNull();
      expect(r.trailerUrl).toMatch(/^https:\/\/www\.youtube\.com\//);
    }
    expect(tmdb.requests.some((r) => r.url.includes("/watch/providers"))).toBe(true);
  });

  it("answers 400 JSON for a region that is not two letters", async () => {
    const { status, body } = await get("/api/popular?region=Switzerland");
    expect(status).toBe(400);
    expect(body.error).toMatch(/region must be a two-letter country code/);
  });
});
