import { MoviebotError } from "../../errors.ts";

// The client ships CommonJS and ESM builds with separate error classes (a mock or a library may load
// the other one), so errors are recognised by name rather than instanceof.
interface TransportErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: unknown;
}

/** Maps the client's errors to the codes the edges (and GuardedMovieSearch) understand. */
export function toSearchBackendError(error: unknown, timedOut = false): MoviebotError {
  if (error instanceof MoviebotError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as TransportErrorLike;
  if (timedOut || e.name === "TimeoutError" || e.name === "RequestAbortedError") {
    return new MoviebotError("backend_timeout", "Elasticsearch did not answer in time", {
      cause: error,
    });
  }
  if (e.name === "ResponseError") {
    const status = e.statusCode ?? 0;
    const type = errorType(e.body);
    if (status === 401 || status === 403) {
      return new MoviebotError(
        "backend_unavailable",
        `Elasticsearch refused the credentials (HTTP ${status}${type ? `, ${type}` : ""}): check ELASTICSEARCH_API_KEY`,
        { cause: error },
      );
    }
    if (type === "index_not_found_exception") {
      return new MoviebotError(
        "backend_unavailable",
        "Elasticsearch has no movies index yet: run `npm run elasticsearch:index`",
        { cause: error },
      );
    }
    return new MoviebotError(
      "backend_unavailable",
      `Elasticsearch failed (HTTP ${status}${type ? `, ${type}` : ""})`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MoviebotError("backend_unavailable", `Elasticsearch unreachable: ${message}`, {
    cause: error,
  });
}

function errorType(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const inner = (body as { error?: unknown }).error;
  if (typeof inner === "object" && inner !== null) {
    const type = (inner as { type?: unknown }).type;
    return typeof type === "string" ? type : undefined;
  }
  return undefined;
}
