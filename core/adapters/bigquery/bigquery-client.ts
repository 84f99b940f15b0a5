import { BigQuery, type BigQueryOptions } from "@google-cloud/bigquery";

export interface BigQueryClientSettings {
  projectId: string;
  location: string;
  /** BIGQUERY_API_URL: a proxy or a local stand-in; unset means Google's endpoint. */
  apiEndpoint?: string;
  /**
   * Retries on 5xx/429. The serving path keeps 0: a retry with backoff would blow the time budget,
   * and the caller has a fallback. Admin scripts can afford the client's default (3).
   */
  maxRetries?: number;
  /** Tests inject a credential here; production leaves it unset for Application Default Credentials. */
  authClient?: BigQueryOptions["authClient"];
}

/** A BigQuery client authenticated with Application Default Credentials (or the injected authClient). */
export function createBigQueryClient(settings: BigQueryClientSettings): BigQuery {
  const maxRetries = settings.maxRetries ?? 0;
  const options: BigQueryOptions = {
    projectId: settings.projectId,
    location: settings.location,
    retryOptions: { autoRetry: maxRetries > 0, maxRetries },
  };
  if (settings.apiEndpoint) options.apiEndpoint = settings.apiEndpoint.replace(/\/+$/, "");
  if (settings.authClient) options.authClient = settings.authClient;
  return new BigQuery(options);
}
