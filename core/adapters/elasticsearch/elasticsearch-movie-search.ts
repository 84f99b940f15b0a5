import type { Client, estypes } from "@elastic/elasticsearch";
import type { MovieSearch, Suggestion, SuggestOptions } from "../../search/movie-search.ts";
import { queryReadings } from "../../search/title-forms.ts";
import { toSearchBackendError } from "./elasticsearch-errors.ts";
import type { MovieDocument } from "./elasticsearch-mapping.ts";

export interface ElasticsearchMovieSearchOptions {
  client: Client;
  /** ELASTICSEARCH_INDEX: the alias `npm run elasticsearch:index` points at the current index. */
  index: string;
  /** ELASTICSEARCH_TIMEOUT_MS: hard limit per request, also sent as the server-side search timeout. */
  timeoutMs: number;
}

// A four-digit year in the query ("heat 1995", "heat (1995)"): films from that year rank first.
const YEAR_IN_QUERY = /(?:^|\s)\(?((?:18|19|20)\d{2})\)?(?=\s|$)/;
const MAX_QUERY_LENGTH = 200;

const SUGGESTION_FIELDS = ["movieId", "title", "year", "label"] as const;
type SuggestionSource = Pick<MovieDocument, (typeof SUGGESTION_FIELDS)[number]>;

/**
 * As-you-type title search on Elasticsearch, answering like the embedded index: display titles,
 * "matrix" and "the matrix" both find The Matrix, typos tolerated on longer words, a year steers.
 * Failures come back as backend_timeout / backend_unavailable; GuardedMovieSearch falls back on them.
 */
export class ElasticsearchMovieSearch implements MovieSearch {
  private readonly options: ElasticsearchMovieSearchOptions;

  constructor(options: ElasticsearchMovieSearchOptions) {
    this.options = options;
  }

  async suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    const text = query.trim().slice(0, MAX_QUERY_LENGTH);
    if (text === "" || limit <= 0) return [];
    const budget = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
    try {
      const response = await this.options.client.search<SuggestionSource>(
        { index: this.options.index, ...suggestRequest(text, limit, this.options.timeoutMs) },
        { signal, requestTimeout: this.options.timeoutMs, maxRetries: 0 },
      );
      return response.hits.hits.flatMap((hit) => (hit._source ? [toSuggestion(hit._source)] : []));
    } catch (error) {
      throw toSearchBackendError(error, budget.aborted);
    }
  }
}

/** The search body (without the index), exported so tests and the docs can show exactly what is sent. */
export function suggestRequest(
  text: string,
  limit: number,
  timeoutMs: number,
): Omit<estypes.SearchRequest, "index"> {
  const yearMatch = YEAR_IN_QUERY.exec(text);
  const year = yearMatch ? Number(yearMatch[1]) : null;
  // "1917" or "2001" alone is a title; with other words, the year is a hint, not part of the title.
  const withoutYear = yearMatch ? text.replace(yearMatch[0], " ").trim() : text;
  const titleText = withoutYear === "" ? text : withoutYear;
  // The same readings as the embedded search (title-forms.ts): as typed, short forms spelled out,
  // neighbouring words joined; sequel markers ("part" in "godfather part 2") only lift.
  const readings = queryReadings(titleText);
  const [typed] = readings;
  const markers = typed?.optional ?? [];

  const should: estypes.QueryDslQueryContainer[] = [
    // Whole-phrase prefix on the display title: "the mat" puts The Matrix above Matrix-adjacent noise.
    { match_phrase_prefix: { title: { query: titleText, boost: 2 } } },
    { rank_feature: { field: "popularity", saturation: { pivot: 50 }, boost: 1 } },
  ];
  if (year !== null && withoutYear !== "") {
    // Released that year, or with the number in the title ("Blade Runner 2049"): either lifts.
    should.push({ term: { year: { value: year, boost: 5 } } });
    should.push({ match: { title: { query: String(year), boost: 5 } } });
  }
  if (markers.length > 0)
    should.push({ match: { title_forms: { query: markers.join(" "), boost: 1 } } });
  const matches =
    readings.length > 0
      ? readings.map((reading) => readingMatch(reading.words.join(" ")))
      : [readingMatch(titleText)];
  return {
    size: limit,
    timeout: `${timeoutMs}ms`,
    track_total_hits: false,
    _source: [...SUGGESTION_FIELDS],
    query: {
      bool: {
        must: [
          matches.length === 1
            ? (matches[0] as estypes.QueryDslQueryContainer)
            : { bool: { should: matches, minimum_should_match: 1 } },
        ],
        should,
      },
    },
    sort: [
      { _score: { order: "desc" } },
      { rating_count: { order: "desc" } },
      { movieId: { order: "asc" } },
    ],
  };
}

/** One reading of the query ("lord of the rings" for "lotr") as a multi_match over the title fields. */
function readingMatch(query: string): estypes.QueryDslQueryContainer {
  return {
    multi_match: {
      query,
      type: "bool_prefix",
      fields: [
        "title^3",
        "title._2gram^3",
        "title._3gram^3",
        "alt_titles",
        "alt_titles._2gram",
        "alt_titles._3gram",
        "raw_title",
        // Numbers in any form ("rocky 2" → "Rocky II") and joined words ("walle" → "WALL·E").
        "title_forms^2",
        "title_joined^2",
      ],
      operator: "and",
      // Exact below 5 letters (short words already match too much), one typo from 5, two
      // from 8, as the embedded index does for 5+; the last (prefix) term is never fuzzy.
      fuzziness: "AUTO:5,8",
      prefix_length: 1,
    },
  };
}

function toSuggestion(source: SuggestionSource): Suggestion {
  const year = source.year ?? null;
  return {
    movieId: source.movieId,
    title: source.title,
    year,
    label: source.label ?? (year === null ? source.title : `${source.title} (${year})`),
  };
}
