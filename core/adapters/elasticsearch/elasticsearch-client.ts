import { Client } from "@elastic/elasticsearch";

type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[0]>;

export interface ElasticsearchClientSettings {
  /** ELASTICSEARCH_URL; or cloudId for Elastic Cloud. One of the two is required. */
  url?: string;
  cloudId?: string;
  apiKey?: string;
  /** ELASTICSEARCH_TIMEOUT_MS: the hard per-request limit. */
  timeoutMs: number;
  /**
   * The autocomplete path keeps 0: a retry would spend the budget Slack and Discord allow, and
   * GuardedMovieSearch falls back to the embedded index instead. The indexing script can retry.
   */
  maxRetries?: number;
  /** Tests pass @elastic/elasticsearch-mock's connection class here. */
  Connection?: ClientOptions["Connection"];
}

export function createElasticsearchClient(settings: ElasticsearchClientSettings): Client {
  const options: ClientOptions = {
    requestTimeout: settings.timeoutMs,
    maxRetries: settings.maxRetries ?? 0,
  };
  if (settings.cloudId) options.cloud = { id: settings.cloudId };
  else if (settings.url) options.node = settings.url;
  else throw new Error("Elasticsearch needs ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID");
  if (settings.apiKey) options.auth = { apiKey: settings.apiKey };
  if (settings.Connection) options.Connection = settings.Connection;
  return new Client(options);
}
