import type { BigQuery, Query } from "@google-cloud/bigquery";
import { MoviebotError } from "../../errors.ts";

/** What every BigQuery statement the bot runs needs besides its text. */
export interface BigQueryRun {
  /** Query parameters by name (@liked …): user values only ever travel here. */
  params?: Record<string, unknown>;
  /** BigQuery types for params the client cannot infer (an empty ARRAY<INT64>). */
  types?: Record<string, string | string[]>;
  location?: string;
  /** Labels on the job, so the bill can be split by purpose (`app=moviebot, purpose=recommend`). */
  labels?: Record<string, string>;
  /**
   * Serving path: how long BigQuery may take before we give up and the caller falls back. The client
   * asks jobs.query to wait this long and we race the whole call against the same budget, because a
   * stalled connection would otherwise hang an autocomplete or a recommendation.
   */
  timeoutMs?: number;
  /** Admin path: a server-side limit on the job itself (training can take many minutes). */
  jobTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs one statement and returns its rows; every failure comes back as a coded MoviebotError. */
export async function runBigQuery<Row>(
  client: BigQuery,
  sql: string,
  run: BigQueryRun = {},
): Promise<Row[]> {
  const query: Query = { query: sql, useLegacySql: false };
  if (run.params) query.params = run.params;
  if (run.types) query.types = run.types;
  if (run.location) query.location = run.location;
  if (run.labels) query.labels = run.labels;
  if (run.jobTimeoutMs !== undefined) query.jobTimeoutMs = run.jobTimeoutMs;
  const options = run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs };

  run.signal?.throwIfAborted();
  const call = client.query(query, options).then(([rows]) => rows as Row[]);
  if (run.timeoutMs === undefined && !run.signal) return call.catch(throwCoded);

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (run.timeoutMs !== undefined) {
      timer = setTimeout(
        () =>
          reject(
            new MoviebotError(
              "backend_timeout",
              `BigQuery did not answer within ${run.timeoutMs} ms`,
            ),
          ),
        run.timeoutMs,
      );
    }
    onAbort = () =>
      reject(new MoviebotError("backend_timeout", "BigQuery query abandoned: the caller gave up"));
    run.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([call.catch(throwCoded), deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort) run.signal?.removeEventListener("abort", onAbort);
    // The losing promise may still reject later; nobody is listening any more.
    call.catch(() => {});
  }
}

interface ApiErrorLike {
  code?: number | string;
  message?: string;
  errors?: { reason?: string; message?: string }[];
}

/** Maps the client's errors (ApiError with an HTTP status, socket errors, its own timeout) to codes. */
export function toBackendError(error: unknown): MoviebotError {
  if (error instanceof MoviebotError) return error;
  const e = (error ?? {}) as ApiErrorLike;
  const message = e.message ?? String(error);
  const status = typeof e.code === "number" ? e.code : undefined;
  const reason = e.errors?.[0]?.reason;
  if (
    /did not complete before/i.test(message) ||
    e.code === "ETIMEDOUT" ||
    e.code === "ESOCKETTIMEDOUT" ||
    reason === "timeout" ||
    reason === "jobInternalError"
  ) {
    return new MoviebotError("backend_timeout", `BigQuery timed out: ${message}`, { cause: error });
  }
  if (status === 401 || status === 403) {
    return new MoviebotError(
      "backend_unavailable",
      `BigQuery refused the credentials (HTTP ${status}${reason ? `, ${reason}` : ""}): check Application Default Credentials and the service account's BigQuery roles`,
      { cause: error },
    );
  }
  if (status !== undefined) {
    return new MoviebotError(
      "backend_unavailable",
      `BigQuery failed (HTTP ${status}${reason ? `, ${reason}` : ""}): ${message}`,
      { cause: error },
    );
  }
  return new MoviebotError("backend_unavailable", `BigQuery unreachable: ${message}`, {
    cause: error,
  });
}

function throwCoded(error: unknown): never {
  throw toBackendError(error);
}
