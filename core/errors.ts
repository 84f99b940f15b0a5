/** Stable codes for errors a user can cause; the edges turn them into a 400, an ephemeral message or a reply. */
export type ErrorCode =
  | "invalid_input"
  | "too_many_liked"
  | "not_ready"
  | "backend_timeout"
  | "backend_unavailable"
  | "data_malformed"
  | "download_failed";

export class MoviebotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MoviebotError";
    this.code = code;
  }
}

/** The caller's input is wrong; the message is written for the person who typed it. */
export class InvalidInputError extends MoviebotError {
  constructor(message: string, code: ErrorCode = "invalid_input") {
    super(code, message);
    this.name = "InvalidInputError";
  }
}

export function isMoviebotError(error: unknown): error is MoviebotError {
  return error instanceof MoviebotError;
}

/** The user's mistake (their input), not ours: answered with its own message, never retried or logged as a failure. */
export function isUserError(
  error: unknown,
): error is MoviebotError & { code: "invalid_input" | "too_many_liked" } {
  return (
    isMoviebotError(error) && (error.code === "invalid_input" || error.code === "too_many_liked")
  );
}
