import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Router } from "express";
import pino from "pino";
import { CardService } from "../../../core/cards/card-service.ts";
import { Catalog } from "../../../core/catalog/catalog.ts";
import type { Movie } from "../../../core/catalog/movie.ts";
import type { TasteStore } from "../../../core/members/taste-store.ts";
import { NoPosters, type PosterSource } from "../../../core/posters/poster-source.ts";
import type { Recommendation, Recommender } from "../../../core/recommend/recommender.ts";
import type { MovieSearch, Suggestion, SuggestOptions } from "../../../core/search/movie-search.ts";
import type { WatchSource } from "../../../core/watch/watch-source.ts";

export const silentLogger = pino({ level: "silent" });

function movie(movieId: number, title: string, year: number | null, genres: string[]): Movie {
  return {
    movieId,
    title,
    rawTitle: title,
    altTitles: [],
    year,
    genres,
    imdbId: String(movieId).padStart(7, "0"),
    tmdbId: movieId + 1000,
  };
}

export const MOVIES: Movie[] = [
  movie(2571, "The Matrix", 1999, ["Action", "Sci-Fi", "Thriller"]),
  movie(6365, "The Matrix Reloaded", 2003, ["Action", "Adventure", "Sci-Fi"]),
  movie(6934, "The Matrix Revolutions", 2003, ["Action", "Adventure", "Sci-Fi"]),
  movie(6, "Heat", 1995, ["Action", "Crime", "Thriller"]),
  movie(1, "Toy Story", 1995, ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]),
  movie(318, "The Shawshank Redemption", 1994, ["Crime", "Drama"]),
  movie(296, "Pulp Fiction", 1994, ["Comedy", "Crime", "Drama", "Thriller"]),
  movie(356, "Forrest Gump", 1994, ["Comedy", "Drama", "Romance", "War"]),
  movie(593, "The Silence of the Lambs", 1991, ["Crime", "Horror", "Thriller"]),
  movie(
    99999,
    `A Movie With An Extraordinarily Long Title ${"That Goes On ".repeat(12)}Forever`,
    2001,
    ["Drama"],
  ),
];

export function testCatalog(): Catalog {
  return new Catalog(
    MOVIES,
    {
      length: 0,
      userIds: new Int32Array(0),
      movieIds: new Int32Array(0),
      values: new Float32Array(0),
    },
    "test",
  );
}

const label = (m: Movie) => (m.year === null ? m.title : `${m.title} (${m.year})`);

/** Substring search over the test movies; can be made to hang (ignoring its signal) or fail. */
export class FakeSearch implements MovieSearch {
  mode: "ok" | "hang" | "fail" = "ok";
  calls: string[] = [];
  async suggest(query: string, limit: number, _options?: SuggestOptions): Promise<Suggestion[]> {
    this.calls.push(query);
    if (this.mode === "hang") return new Promise(() => {});
    if (this.mode === "fail") throw new Error("search backend down");
    const q = query.toLowerCase();
    return MOVIES.filter((m) => m.title.toLowerCase().includes(q))
      .slice(0, limit)
      .map((m) => ({ movieId: m.movieId, title: m.title, year: m.year, label: label(m) }));
  }
}

/**
 * Recommends every other movie, "because" of the first liked one. Can be held (every call waits
 * until release(), which makes "slower than the budget" deterministic) or made to fail.
 */
export class FakeRecommender implements Recommender {
  fail = false;
  private gate: Promise<void> | null = null;
  private open: () => void = () => {};
  calls: { liked: number[] | null; limit: number }[] = [];

  async recommend(liked: readonly number[], limit: number): Promise<Recommendation> {
    this.calls.push({ liked: [...liked], limit });
    await this.wait();
    const items = MOVIES.filter((m) => !liked.includes(m.movieId))
      .slice(0, limit)
      .map((m, i) => ({ movieId: m.movieId, score: 1 - i / 100, because: [liked[0] as number] }));
    return { strategy: "personalized", items };
  }

  async popular(limit: number): Promise<Recommendation> {
    this.calls.push({ liked: null, limit });
    await this.wait();
    const items = MOVIES.slice(0, limit).map((m, i) => ({
      movieId: m.movieId,
      score: 1 - i / 100,
      because: [],
    }));
    return { strategy: "popular", items };
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open();
    this.gate = null;
  }

  private async wait(): Promise<void> {
    if (this.gate) await this.gate;
    if (this.fail) throw new Error("recommender exploded");
  }
}

export class FakePosters implements PosterSource {
  async posterUrl(m: Movie): Promise<string | null> {
    return `https://posters.example/${m.movieId}.jpg`;
  }
}

export function testCards(options: {
  search?: MovieSearch;
  recommender?: Recommender;
  posters?: PosterSource;
  taste?: TasteStore;
  watch?: WatchSource;
}) {
  return new CardService({
    catalog: testCatalog(),
    search: options.search ?? new FakeSearch(),
    recommender: options.recommender ?? new FakeRecommender(),
    posters: options.posters ?? new NoPosters(),
    ...(options.taste ? { taste: options.taste } : {}),
    watch: options.watch,
  });
}

/** A Discord application's key pair; the public half as the Developer Portal shows it (hex). */
export function applicationKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { publicKeyHex: Buffer.from(jwk.x as string, "base64url").toString("hex"), privateKey };
}

/** Headers exactly as Discord sends them: Ed25519 over timestamp + body, hex encoded. */
export function signedHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return {
    "content-type": "application/json",
    "x-signature-ed25519": signature,
    "x-signature-timestamp": timestamp,
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An express app with just this router, on an ephemeral port. */
export async function serveRouter(router: Router): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(router);
  const server = createServer(app);
  return { url: await listen(server), server };
}

export interface CapturedRequest {
  method: string;
  /** Decoded path: "/api/v10/webhooks/…/messages/@original". */
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

type Responder = (req: CapturedRequest, res: ServerResponse) => void;

/** A local stand-in for Discord's REST API: records every request, answers 200 {} unless told. */
export class RestStandIn {
  readonly requests: CapturedRequest[] = [];
  responder: Responder = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  };
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const captured: CapturedRequest = {
        method: req.method ?? "",
        path: decodeURIComponent(req.url ?? ""),
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      };
      this.requests.push(captured);
      this.waiters = this.waiters.filter((w) => !w(captured));
      this.responder(captured, res);
    });
  });
  private waiters: ((req: CapturedRequest) => boolean)[] = [];
  url = "";

  async start(): Promise<string> {
    this.url = `${await listen(this.server)}/api`;
    return this.url;
  }

  /** Resolves with the first request (already received or future) matching the predicate. */
  next(predicate: (req: CapturedRequest) => boolean): Promise<CapturedRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      this.waiters.push((req) => {
        if (!predicate(req)) return false;
        resolve(req);
        return true;
      });
    });
  }

  stop(): Promise<void> {
    return close(this.server);
  }
}
