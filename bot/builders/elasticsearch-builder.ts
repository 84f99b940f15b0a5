import type { Client } from "@elastic/elasticsearch";
import { createElasticsearchClient } from "../../core/adapters/elasticsearch/elasticsearch-client.ts";
import { ElasticsearchMovieSearch } from "../../core/adapters/elasticsearch/elasticsearch-movie-search.ts";
import type { Config } from "../config.ts";

// SEARCH_BACKEND=elasticsearch, apart from search-builder.ts so that a start with the embedded
// search never loads Elasticsearch's client. The config's superRefine has already checked that
// the settings Elasticsearch needs are present.

export function elasticsearchClientFromConfig(config: Config): Client {
  return createElasticsearchClient({
    ...(config.ELASTICSEARCH_URL ? { url: config.ELASTICSEARCH_URL } : {}),
    ...(config.ELASTICSEARCH_CLOUD_ID ? { cloudId: config.ELASTICSEARCH_CLOUD_ID } : {}),
    ...(config.ELASTICSEARCH_API_KEY ? { apiKey: config.ELASTICSEARCH_API_KEY } : {}),
    timeoutMs: config.ELASTICSEARCH_TIMEOUT_MS,
  });
}

/** SEARCH_BACKEND=elasticsearch; wrap it in GuardedMovieSearch with the embedded index as fallback. */
export function elasticsearchSearchFromConfig(
  config: Config,
  client: Client = elasticsearchClientFromConfig(config),
): ElasticsearchMovieSearch {
  return new ElasticsearchMovieSearch({
    client,
    index: config.ELASTICSEARCH_INDEX,
    timeoutMs: config.ELASTICSEARCH_TIMEOUT_MS,
  });
}
