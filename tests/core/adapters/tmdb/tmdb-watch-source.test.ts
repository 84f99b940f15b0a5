import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { TmdbClient } from "../../../../core/adapters/tmdb/tmdb-client.ts";
import { TmdbPosterSource } from "../../../../core/adapters/tmdb/tmdb-poster-source.ts";
import { TmdbWatchSource } from "../../../../core/adapters/tmdb/tmdb-watch-source.ts";
import type { Movie } from "../../../../core/catalog/movie.ts";
import { MemoryPosterCache } from "../../../../core/posters/memory-poster-cache.ts";
import { MemoryWatchCache } from "../../../../core/watch/watch-cache.ts";
import { type RecordedRequest, startLocalServer } from "../../../support/local-server.ts";

const movie = (tmdbId: number | null): Movie => ({
  movieId: 1,
  title: "Fight Club",
  rawTitle: "Fight Club (1999)",
  altTitles: [],
  year: 1999,
  genres: [],
  imdbId: "0137523",
  tmdbId,
});

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

async function tmdb(handler: Handler) {
  const server = await startLocalServer(handler);
  servers.push(server);
  return server;
}

function json(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const PROVIDERS = {
  id: 550,
  results: {
    CH: {
      link: "https://www.themoviedb.org/movie/550-fight-club/watch?locale=CH",
      flatrate: [
        { provider_name: "Disney Plus", logo_path: "/disney.jpg", display_priority: 2 },
        { provider_name: "Netflix", logo_path: "/netflix.jpg", display_priority: 0 },
      ],
      rent: [{ provider_name: "Apple TV", logo_path: "/apple.jpg", display_priority: 4 }],
      buy: [{ provider_name: "Apple TV", logo_path: "/apple.jpg", display_priority: 4 }],
    },
    US: { link: "https://www.themoviedb.org/movie/550-fight-club/watch?locale=US", rent: [] },
  },
};

const VIDEOS = {
  id: 550,
  results: [
    { site: "Vimeo", type: "Trailer", key: "vimeo1", official: true },
    { site: "YouTube", type: "Teaser", key: "teaser1", official: true },
    { site: "YouTube", type: "Trailer", key: "fanmade1", official: false },
    { site: "YouTube", type: "Trailer", key: "SUXWAEX2jlg", official: true },
  ],
};

/** A TMDB stand-in answering the two endpoints the watch source uses. */
function standIn(providers: unknown = PROVIDERS, videos: unknown = VIDEOS): Handler {
  return (req, res) => {
    if (/^\/movie\/\d+\/watch\/providers/.test(req.url)) json(res, providers);
    else if (/^\/movie\/\d+\/videos/.test(req.url)) json(res, videos);
    else json(res, { status_message: "not found" }, 404);
  };
}

function source(
  url: string,
  overrides: Partial<ConstructorParameters<typeof TmdbWatchSource>[0]> = {},
) {
  const errors: unknown[] = [];
  const watch = new TmdbWatchSource({
    client: new TmdbClient({ apiUrl: url, apiKey: "k3y", retries: 1 }),
    cache: new MemoryWatchCache(),
    logoBaseUrl: "https://image.example/t/p/w92/",
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { watch, errors };
}

describe("TMDB watch providers and trailers", () => {
  it("gives the region's providers in TMDB's display order, the watch link and the official trailer", async () => {
    const server = await tmdb(standIn());
    const { watch } = source(server.url);
    const details = await watch.details(movie(550), "CH");
    expect(details.watch).toEqual({
      region: "CH",
      link: "https://www.themoviedb.org/movie/550-fight-club/watch?locale=CH",
      flatrate: [
        { name: "Netflix", logoUrl: "https://image.example/t/p/w92/netflix.jpg" },
        { name: "Disney Plus", logoUrl: "https://image.example/t/p/w92/disney.jpg" },
      ],
      rent: [{ name: "Apple TV", logoUrl: "https://image.example/t/p/w92/apple.jpg" }],
      buy: [{ name: "Apple TV", logoUrl: "https://image.example/t/p/w92/apple.jpg" }],
      attribution: "JustWatch",
    });
    expect(details.trailerUrl).toBe("https://www.youtube.com/watch?v=SUXWAEX2jlg");
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      "/movie/550/videos?api_key=k3y",
      "/movie/550/watch/providers?api_key=k3y",
    ]);
  });

  it("remembers answers: a second card for the same film and region asks TMDB nothing", async () => {
    const server = await tmdb(standIn());
    const { watch } = source(server.url);
    const first = await watch.details(movie(550), "CH");
    expect(await watch.details(movie(550), "CH")).toEqual(first);
    expect(server.requests).toHaveLength(2);
    // Another region needs the providers again, not the trailer.
    await watch.details(movie(550), "DE");
    expect(server.requests).toHaveLength(3);
  });

  it("takes a non-official trailer when there is no official one", async () => {
    const videos = {
      results: [{ site: "YouTube", type: "Trailer", key: "fan-1", official: false }],
    };
    const server = await tmdb(standIn(PROVIDERS, videos));
    const { watch } = source(server.url);
    expect((await watch.details(movie(550), "CH")).trailerUrl).toBe(
      "https://www.youtube.com/watch?v=fan-1",
    );
  });

  it("has no providers for a region without data or with empty lists, and no trailer for no videos", async () => {
    const server = await tmdb(standIn(PROVIDERS, { id: 550, results: [] }));
    const { watch, errors } = source(server.url);
    expect(await watch.details(movie(550), "JP")).toEqual({ watch: null, trailerUrl: null });
    expect(await watch.details(movie(550), "US")).toEqual({ watch: null, trailerUrl: null });
    expect(errors).toEqual([]);
  });

  it("treats empty answers as no data", async () => {
    const server = await tmdb(standIn({}, {}));
    const { watch } = source(server.url);
    expect(await watch.details(movie(550), "CH")).toEqual({ watch: null, trailerUrl: null });
  });

  it("treats a 404 as 'none' and remembers it", async () => {
    const server = await tmdb((_req, res) => json(res, { status_code: 34 }, 404));
    const { watch, errors } = source(server.url);
    expect(await watch.details(movie(999999), "CH")).toEqual({ watch: null, trailerUrl: null });
    expect(await watch.details(movie(999999), "CH")).toEqual({ watch: null, trailerUrl: null });
    expect(server.requests).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it("waits out a 429 with Retry-After and then answers", async () => {
    let limited = 0;
    const inner = standIn();
    const server = await tmdb((req, res) => {
      if (req.url.includes("/watch/providers") && limited === 0) {
        limited++;
        res.writeHead(429, { "retry-after": "1" });
        res.end("{}");
      } else return inner(req, res);
    });
    const { watch } = source(server.url, { timeoutMs: 5_000 });
    const details = await watch.details(movie(550), "CH");
    expect(details.watch?.flatrate.map((p) => p.name)).toEqual(["Netflix", "Disney Plus"]);
    expect(server.requests.filter((r) => r.url.includes("/watch/providers"))).toHaveLength(2);
  });

  it("gives up on a slow answer at the end of its budget and asks again next time", async () => {
    let slow = true;
    const inner = standIn();
    const server = await tmdb(async (req, res) => {
      if (slow) await new Promise((r) => setTimeout(r, 1_500));
      if (!res.destroyed) return inner(req, res);
    });
    const { watch, errors } = source(server.url, { timeoutMs: 200 });
    expect(await watch.details(movie(550), "CH")).toEqual({ watch: null, trailerUrl: null });
    expect(errors.length).toBeGreaterThan(0);
    slow = false;
    const details = await watch.details(movie(550), "CH");
    expect(details.watch?.region).toBe("CH");
    expect(details.trailerUrl).not.toBeNull();
  });

  it("asks nothing for a film without a TMDB id", async () => {
    const server = await tmdb(standIn());
    const { watch } = source(server.url);
    expect(await watch.details(movie(null), "CH")).toEqual({ watch: null, trailerUrl: null });
    expect(server.requests).toHaveLength(0);
  });

  it("shares one bound on requests in flight with the poster source", async () => {
    let inFlight = 0;
    let peak = 0;
    const inner = standIn();
    const server = await tmdb(async (req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      if (/^\/movie\/\d+\?/.test(req.url)) json(res, { poster_path: "/p.jpg" });
      else return inner(req, res);
    });
    const client = new TmdbClient({ apiUrl: server.url, apiKey: "k", concurrency: 3 });
    const watch = new TmdbWatchSource({
      client,
      cache: new MemoryWatchCache(),
      logoBaseUrl: "https://img",
    });
    const posters = new TmdbPosterSource({
      client,
      imageBaseUrl: "https://img",
      cache: new MemoryPosterCache(),
    });
    const ids = Array.from({ length: 8 }, (_, i) => i + 1);
    await Promise.all(
      ids.flatMap((id) => [watch.details(movie(id), "CH"), posters.posterUrl(movie(id))]),
    );
    expect(server.requests).toHaveLength(24);
    expect(peak).toBeLessThanOrEqual(3);
  });
});
