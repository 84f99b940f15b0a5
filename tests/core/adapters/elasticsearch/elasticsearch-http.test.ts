import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../../../core/adapters/elasticsearch/elasticsearch-client.ts";
import { ElasticsearchMovieSearch } from "../../../../core/adapters/elasticsearch/elasticsearch-movie-search.ts";
import { MoviebotError } from "../../../../core/errors.ts";

/**
 * The real client over real HTTP against a local stand-in: the API key header, and the hard time
 * budget when Elasticsearch accepts the connection but never answers.
 */
let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
const server = createServer((req, res) => handler(req, res));
const seen: { path: string; authorization: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

function search(timeoutMs: number) {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createElasticsearchClient({ url, apiKey: "dGVzdDprZXk=", timeoutMs });
  return new ElasticsearchMovieSearch({ client, index: "movies", timeoutMs });
}

describe("ElasticsearchMovieSearch over HTTP", () => {
  it("authenticates with the API key and reads a real-shaped response", async () => {
    handler = (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        seen.push({
          path: req.url ?? "",
          authorization: req.headers.authorization,
          body: JSON.parse(body),
        });
        res.writeHead(200, {
          "content-type": "application/json",
          "x-elastic-product": "Elasticsearch",
        });
        res.end(
          JSON.stringify({
            took: 2,
            timed_out: false,
            _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
            hits: {
              max_score: null,
              hits: [
                {
                  _index: "movies-20261124t060000z",
                  _id: "4973",
                  _score: null,
                  _source: { movieId: 4973, title: "Amélie", year: 2001, label: "Amélie (2001)" },
                  sort: [7.2, 120, 4973],
                },
              ],
            },
          }),
        );
      });
    };
    expect(await search(1000).suggest("amelie", 5)).toEqual([
      { movieId: 4973, title: "Amélie", year: 2001, label: "Amélie (2001)" },
    ]);
    expect(seen[0]?.path).toBe("/movies/_search");
    expect(seen[0]?.authorization).toBe("ApiKey dGVzdDprZXk=");
  });

  it("gives up with backend_timeout when Elasticsearch never answers", async () => {
    handler = () => {}; // accept, read nothing, answer nothing
    const error = await search(150)
      .suggest("heat", 5)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MoviebotError);
    expect((error as MoviebotError).code).toBe("backend_timeout");
  });
});
