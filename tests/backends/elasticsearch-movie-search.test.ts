import { beforeEach, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../core/adapters/elasticsearch/elasticsearch-client.ts";
import {
  MOVIES_INDEX_MAPPINGS,
  MOVIES_INDEX_SETTINGS,
} from "../../core/adapters/elasticsearch/elasticsearch-mapping.ts";
import { ElasticsearchMovieSearch } from "../../core/adapters/elasticsearch/elasticsearch-movie-search.ts";
import { MoviebotError } from "../../core/errors.ts";
import { errors, Mock, type MockParams, mockConnection } from "./support/es-mock.ts";

interface SearchBody {
  size: number;
  timeout: string;
  query: {
    bool: {
      must: { multi_match: Record<string, unknown> }[];
      should: Record<string, Record<string, unknown>>[];
    };
  };
  sort: unknown[];
}

const mock = new Mock();
const client = createElasticsearchClient({
  url: "http://localhost:9200",
  apiKey: "test-key",
  timeoutMs: 500,
  Connection: mockConnection(mock),
});
const search = new ElasticsearchMovieSearch({ client, index: "movies", timeoutMs: 500 });
let sent: SearchBody[] = [];

// A hit as Elasticsearch returns it: _index is the concrete index behind the alias.
function hit(movieId: number, title: string, year: number | null, score: number) {
  return {
    _index: "movies-20261124t060000z",
    _id: String(movieId),
    _score: null,
    _source: { movieId, title, year, label: year === null ? title : `${title} (${year})` },
    sort: [score, 100, movieId],
  };
}

function answerWith(hits: ReturnType<typeof hit>[]) {
  mock.add({ method: "POST", path: "/movies/_search" }, (params: MockParams) => {
    sent.push(params.body as unknown as SearchBody);
    return {
      took: 3,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { max_score: null, hits },
    };
  });
}

function failWith(error: Error) {
  mock.add({ method: "POST", path: "/movies/_search" }, () => error as never);
}

async function failure(promise: Promise<unknown>): Promise<MoviebotError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MoviebotError);
  return error as MoviebotError;
}

beforeEach(() => {
  mock.clearAll();
  sent = [];
});

describe("ElasticsearchMovieSearch", () => {
  it("sends a bool_prefix multi_match with typo tolerance and maps hits to suggestions", async () => {
    answerWith([hit(2571, "The Matrix", 1999, 12.5), hit(6365, "The Matrix Reloaded", 2003, 9.1)]);
    const suggestions = await search.suggest("  the matr ", 2);

    expect(suggestions).toEqual([
      { movieId: 2571, title: "The Matrix", year: 1999, label: "The Matrix (1999)" },
      {
        movieId: 6365,
        title: "The Matrix Reloaded",
        year: 2003,
        label: "The Matrix Reloaded (2003)",
      },
    ]);
    const body = sent[0] as SearchBody;
    expect(body.size).toBe(2);
    expect(body.timeout).toBe("500ms");
    const match = body.query.bool.must[0]?.multi_match;
    expect(match).toMatchObject({ query: "the matr", type: "bool_prefix", fuzziness: "AUTO:5,8" });
    expect(match?.fields).toEqual(
      expect.arrayContaining(["title^3", "title._2gram^3", "alt_titles", "raw_title"]),
    );
    expect(body.query.bool.should).toContainEqual({
      rank_feature: { field: "popularity", saturation: { pivot: 50 }, boost: 1 },
    });
    expect(body.sort).toEqual([
      { _score: { order: "desc" } },
      { rating_count: { order: "desc" } },
      { movieId: { order: "asc" } },
    ]);
  });

  it("takes a year in the query as a boost on the year field, not as title text", async () => {
    answerWith([hit(6, "Heat", 1995, 20)]);
    await search.suggest("heat (1995)", 5);
    const body = sent[0] as SearchBody;
    expect(body.query.bool.must[0]?.multi_match.query).toBe("heat");
    expect(body.query.bool.should).toContainEqual({ term: { year: { value: 1995, boost: 5 } } });
  });

  it("still lifts a title holding the number (Blade Runner 2049)", async () => {
    answerWith([hit(174055, "Blade Runner 2049", 2017, 20)]);
    await search.suggest("blade runner 2049", 5);
    const body = sent[0] as SearchBody;
    expect(body.query.bool.must[0]?.multi_match.query).toBe("blade runner");
    expect(body.query.bool.should).toContainEqual({
      match: { title: { query: "2049", boost: 5 } },
    });
  });

  it("treats a query that is only a year as a title (1917, 2001)", async () => {
    answerWith([hit(195159, "1917", 2019, 20)]);
    await search.suggest("1917", 5);
    const body = sent[0] as SearchBody;
    expect(body.query.bool.must[0]?.multi_match.query).toBe("1917");
    expect(JSON.stringify(body.query.bool.should)).not.toContain('"year"');
  });

  it("answers an empty query without asking Elasticsearch", async () => {
    answerWith([]);
    expect(await search.suggest("   ", 5)).toEqual([]);
    expect(sent).toHaveLength(0);
  });

  it.each([
    [401, "security_exception", /refused the credentials/],
    [403, "security_exception", /refused the credentials/],
    [404, "index_not_found_exception", /npm run elasticsearch:index/],
    [503, "search_phase_execution_exception", /HTTP 503/],
  ])("turns HTTP %i into backend_unavailable", async (status, type, message) => {
    failWith(
      new errors.ResponseError({
        body: { error: { type, reason: "test" }, status },
        statusCode: status,
        headers: {},
        warnings: null,
        meta: {} as never,
      }),
    );
    const error = await failure(search.suggest("heat", 5));
    expect(error.code).toBe("backend_unavailable");
    expect(error.message).toMatch(message);
  });

  it("turns a transport timeout into backend_timeout", async () => {
    failWith(new errors.TimeoutError("Request timed out"));
    expect((await failure(search.suggest("heat", 5))).code).toBe("backend_timeout");
  });

  it("turns a caller's abort into backend_timeout", async () => {
    answerWith([hit(6, "Heat", 1995, 20)]);
    const controller = new AbortController();
    controller.abort();
    expect((await failure(search.suggest("heat", 5, { signal: controller.signal }))).code).toBe(
      "backend_timeout",
    );
  });
});

describe("movies index mapping", () => {
  it("folds case and accents and searches titles as you type", () => {
    expect(MOVIES_INDEX_SETTINGS.analysis?.analyzer?.folded).toEqual({
      type: "custom",
      tokenizer: "standard",
      filter: ["lowercase", "asciifolding"],
    });
    const props = MOVIES_INDEX_MAPPINGS.properties ?? {};
    expect(props.title).toMatchObject({ type: "search_as_you_type", analyzer: "folded" });
    expect(props.alt_titles).toMatchObject({ type: "search_as_you_type", analyzer: "folded" });
    expect(props.raw_title).toMatchObject({ type: "text", analyzer: "folded" });
    expect(props.year).toEqual({ type: "short" });
    expect(props.popularity).toEqual({ type: "rank_feature" });
  });
});
