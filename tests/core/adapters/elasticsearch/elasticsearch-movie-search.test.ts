import { beforeEach, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "../../../../core/adapters/elasticsearch/elasticsearch-client.ts";
import {
  MOVIES_INDEX_MAPPINGS,
  MOVIES_INDEX_SETTINGS,
} from "../../../../core/adapters/elasticsearch/elasticsearch-mapping.ts";
import { ElasticsearchMovieSearch } from "../../../../core/adapters/elasticsearch/elasticsearch-movie-search.ts";
import { MoviebotError } from "../../../../core/errors.ts";
import { errors, Mock, type MockParams, mockConnection } from "../../../support/es-mock.ts";

interface MultiMatch {
  multi_match: Record<string, unknown> & { query: string; fields: string[] };
}

interface SearchBody {
  size: number;
  timeout: string;
  query: {
    bool: {
      must: (MultiMatch | { bool: { should: MultiMatch[]; minimum_should_match: number } })[];
      should: Record<string, Record<string, unknown>>[];
    };
  };
  sort: unknown[];
}

/** The multi_match of each reading of the query, the typed one first. */
function readings(body: SearchBody): MultiMatch["multi_match"][] {
  const [must] = body.query.bool.must;
  if (!must) return [];
  return "multi_match" in must ? [must.multi_match] : must.bool.should.map((m) => m.multi_match);
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
    const match = readings(body)[0];
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
    expect(readings(body)[0]?.query).toBe("heat");
    expect(body.query.bool.should).toContainEqual({ term: { year: { value: 1995, boost: 5 } } });
  });

  it("still lifts a title holding the number (Blade Runner 2049)", async () => {
    answerWith([hit(174055, "Blade Runner 2049", 2017, 20)]);
    await search.suggest("blade runner 2049", 5);
    const body = sent[0] as SearchBody;
    expect(readings(body)[0]?.query).toBe("blade runner");
    expect(body.query.bool.should).toContainEqual({
      match: { title: { query: "2049", boost: 5 } },
    });
  });

  it("treats a query that is only a year as a title (1917, 2001)", async () => {
    answerWith([hit(195159, "1917", 2019, 20)]);
    await search.suggest("1917", 5);
    const body = sent[0] as SearchBody;
    expect(readings(body)[0]?.query).toBe("1917");
    expect(JSON.stringify(body.query.bool.should)).not.toContain('"year"');
  });

  it("sends every reading of the query: short forms spelled out, neighbouring words joined", async () => {
    answerWith([]);
    await search.suggest("lotr two towers", 5);
    await search.suggest("brave heart", 5);
    await search.suggest("wall e", 5);
    const [lotr, brave, walle] = sent.map(readings);
    expect(lotr?.map((m) => m.query)).toEqual([
      "lotr two towers",
      "lord of the rings two towers",
      "lotrtwo towers",
      "lotr twotowers",
    ]);
    expect(brave?.map((m) => m.query)).toEqual(["brave heart", "braveheart"]);
    expect(walle?.map((m) => m.query)).toEqual(["wall e", "walle"]);
    // Each reading is searched where numbers and joins are indexed, and one reading is enough.
    for (const match of [...(lotr ?? []), ...(brave ?? [])])
      expect(match.fields).toEqual(expect.arrayContaining(["title_forms^2", "title_joined^2"]));
    const must = sent[1]?.query.bool.must[0];
    expect(must && "bool" in must ? must.bool.minimum_should_match : null).toBe(1);
  });

  it("makes a sequel marker optional: 'godfather part ii' must match 'godfather ii'", async () => {
    answerWith([hit(1221, "The Godfather: Part II", 1974, 20)]);
    await search.suggest("godfather part ii", 5);
    const body = sent[0] as SearchBody;
    expect(readings(body)[0]?.query).toBe("godfather ii");
    expect(body.query.bool.should).toContainEqual({
      match: { title_forms: { query: "part", boost: 1 } },
    });
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

describe("movies index analysis (the mock runs no analysers: the settings must say it all)", () => {
  const analysis = MOVIES_INDEX_SETTINGS.analysis ?? {};
  const filters = (analysis.filter ?? {}) as unknown as Record<string, Record<string, unknown>>;
  const analyzers = (analysis.analyzer ?? {}) as unknown as Record<string, Record<string, unknown>>;
  const props = (MOVIES_INDEX_MAPPINGS.properties ?? {}) as unknown as Record<
    string,
    Record<string, unknown>
  >;

  it("indexes every number in all its forms: roman numerals, digits, words, ordinals", () => {
    const numbers = filters.title_numbers as { type: string; synonyms: string[] };
    expect(numbers.type).toBe("synonym");
    const rule = (digits: string) =>
      numbers.synonyms.find((r) => r.split(", ")[0] === digits)?.split(", ") ?? [];
    expect(rule("2")).toEqual(expect.arrayContaining(["2", "ii", "two", "second"]));
    expect(rule("5")).toEqual(expect.arrayContaining(["v", "five", "fifth"]));
    expect(rule("4")).toContain("iv");
    expect(rule("11")).toEqual(expect.arrayContaining(["xi", "eleven"]));
    expect(rule("39")).toContain("xxxix");
    expect(analyzers.title_forms?.filter).toContain("title_numbers");
    // Synonyms at index time only: the query is searched as typed.
    expect(props.title_forms).toEqual({
      type: "text",
      analyzer: "title_forms",
      search_analyzer: "folded_words",
    });
    expect(analyzers.folded_words?.filter).not.toContain("title_numbers");
  });

  it("joins neighbouring words, and splits WALL·E and E.T. into words first", () => {
    expect(filters.title_joins).toMatchObject({
      type: "shingle",
      min_shingle_size: 2,
      max_shingle_size: 2,
      output_unigrams: true,
      token_separator: "",
    });
    expect(analyzers.title_joined?.filter).toContain("title_joins");
    const punctuation = analysis.char_filter?.title_punctuation as { mappings: string[] };
    expect(punctuation.mappings.map((m) => m.split(" => ")[0])).toEqual(["·", "."]);
    for (const name of ["title_joined", "title_forms", "folded_words"])
      expect(analyzers[name]?.char_filter).toEqual(["title_punctuation"]);
    expect(props.title_joined).toMatchObject({ analyzer: "title_joined" });
  });

  it("copies display and alternate titles into the number and join fields", () => {
    for (const field of ["title", "alt_titles"])
      expect(props[field]?.copy_to).toEqual(["title_forms", "title_joined"]);
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
