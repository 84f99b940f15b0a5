import { once } from "node:events";
import { createServer } from "node:http";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildCore } from "../../../bot/builders/core-builder.ts";
import { loadConfig } from "../../../bot/config.ts";
import { loadMovieLens } from "../../../core/adapters/movielens/load-movielens.ts";
import { embeddedSettings, MOVIELENS_DIR } from "../../support/data.ts";

const silent = pino({ level: "silent" });

/**
 * The cloud backends' clients are loaded only when configured (a cold start without them skips
 * their modules): a core built with both still gets them, behind the embedded fallbacks.
 */
describe("a core with Elasticsearch and BigQuery configured", () => {
  it("loads both adapters, calls them, and answers from the embedded fallbacks while they fail", async () => {
    // One stand-in for both services, failing every call as an outage would; it records the paths.
    const asked: string[] = [];
    const outage = createServer((req, res) => {
      asked.push(req.url ?? "");
      res.writeHead(503, { "content-type": "application/json" }).end('{"error":"down"}');
    });
    outage.listen(0, "127.0.0.1");
    await once(outage, "listening");
    const address = outage.address();
    const NOWHERE = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const config = loadConfig({
      ...embeddedSettings("cloud-core"),
      SEARCH_BACKEND: "elasticsearch",
      ELASTICSEARCH_URL: NOWHERE,
      RECOMMENDER_BACKEND: "bigquery",
      BIGQUERY_PROJECT: "moviebot-test",
      BIGQUERY_DATASET: "movielens",
      BIGQUERY_API_URL: NOWHERE,
    });
    // A title of whichever catalogue the tests load (MovieLens, or the made-up fixture without it).
    const [known] = (await loadMovieLens(MOVIELENS_DIR)).movies;
    const core = await buildCore(config, silent);
    try {
      expect(core.search.constructor.name).toBe("GuardedMovieSearch");
      const found = await core.search.suggest(known?.title ?? "", 5);
      expect(found.map((s) => s.movieId)).toContain(known?.movieId);
      const answer = await core.recommender.recommend([known?.movieId as number], 5);
      expect(answer.strategy).toBe("personalized");
      expect(answer.items).toHaveLength(5);
      // Both were asked first: the search's index and BigQuery's query endpoint.
      expect(asked.some((path) => path.includes("/movies/_search"))).toBe(true);
      expect(asked.some((path) => path.includes("/projects/moviebot-test/"))).toBe(true);
    } finally {
      await core.close();
      outage.close();
    }
  });
});
