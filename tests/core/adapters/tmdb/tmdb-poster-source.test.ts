import { afterEach, describe, expect, it } from "vitest";
import { TmdbPosterSource } from "../../../../core/adapters/tmdb/tmdb-poster-source.ts";
import type { Movie } from "../../../../core/catalog/movie.ts";
import { MemoryPosterCache } from "../../../../core/posters/memory-poster-cache.ts";
import { startLocalServer } from "../../../support/local-server.ts";

const movie = (tmdbId: number | null): Movie => ({
  movieId: 1,
  title: "Toy Story",
  rawTitle: "Toy Story (1995)",
  altTitles: [],
  year: 1995,
  genres: [],
  imdbId: "0114709",
  tmdbId,
});

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tmdb(handler: Parameters<typeof startLocalServer>[0]) {
  const server = await startLocalServer(handler);
  servers.push(server);
  return server;
}

function posterFor(res: import("node:http").ServerResponse, path: string | null) {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ id: 862, poster_path: path }));
}

describe("TMDB posters", () => {
  it("builds the poster URL from the movie's tmdbId and caches it", async () => {
    const server = await tmdb((_req, res) => posterFor(res, "/uXDfjJbdP4ijW5hWSBrPrlKpxab.jpg"));
    const source = new TmdbPosterSource({
      apiUrl: server.url,
      apiKey: "k3y",
      imageBaseUrl: "https://image.example/t/p/w342",
      cache: new MemoryPosterCache(),
    });
    expect(await source.posterUrl(movie(862))).toBe(
      "https://image.example/t/p/w342/uXDfjJbdP4ijW5hWSBrPrlKpxab.jpg",
    );
    expect(await source.posterUrl(movie(862))).toBe(
      "https://image.example/t/p/w342/uXDfjJbdP4ijW5hWSBrPrlKpxab.jpg",
    );
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe("/movie/862?api_key=k3y");
  });

  it("sends a read access token as a Bearer header, not in the URL", async () => {
    const server = await tmdb((_req, res) => posterFor(res, "/p.jpg"));
    const source = new TmdbPosterSource({
      apiUrl: server.url,
      readAccessToken: "t0ken",
      imageBaseUrl: "https://img",
      cache: new MemoryPosterCache(),
    });
    await source.posterUrl(movie(603));
    expect(server.requests[0]?.headers.authorization).toBe("Bearer t0ken");
    expect(server.requests[0]?.url).toBe("/movie/603");
  });

  it("waits out a 429 with Retry-After and then gets the poster", async () => {
    let calls = 0;
    const server = await tmdb((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "1" });
        res.end("{}");
      } else posterFor(res, "/ok.jpg");
    });
    const source = new TmdbPosterSource({
      apiUrl: server.url,
      apiKey: "k",
      imageBaseUrl: "https://img",
      cache: new MemoryPosterCache(),
      timeoutMs: 5_000,
    });
    expect(await source.posterUrl(movie(1))).toBe("https://img/ok.jpg");
    expect(calls).toBe(2);
  });

  it("gives no image, not an error, when TMDB fails or has no poster", async () => {
    const server = await tmdb((req, res) => {
      if (req.url.startsWith("/movie/500")) {
        res.writeHead(500);
        res.end();
      } else if (req.url.startsWith("/movie/404")) {
        res.writeHead(404);
        res.end("{}");
      } else posterFor(res, null);
    });
    const errors: unknown[] = [];
    const source = new TmdbPosterSource({
      apiUrl: server.url,
      apiKey: "k",
      imageBaseUrl: "https://img",
      cache: new MemoryPosterCache(),
      retries: 1,
      onError: (e) => errors.push(e),
    });
    expect(await source.posterUrl(movie(500))).toBeNull();
    expect(await source.posterUrl(movie(404))).toBeNull();
    expect(await source.posterUrl(movie(7))).toBeNull();
    expect(await source.posterUrl(movie(null))).toBeNull();
    expect(errors.length).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.url.startsWith("/movie/500"))).toHaveLength(2);
  });

  it("keeps at most `concurrency` requests in flight and shares identical look-ups", async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await tmdb(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      posterFor(res, "/x.jpg");
    });
    const source = new TmdbPosterSource({
      apiUrl: server.url,
      apiKey: "k",
      imageBaseUrl: "https://img",
      cache: new MemoryPosterCache(),
      concurrency: 3,
    });
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    await Promise.all([...ids, ...ids].map((id) => source.posterUrl(movie(id))));
    expect(peak).toBeLessThanOrEqual(3);
    expect(server.requests).toHaveLength(12);
  });
});
