import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { sendJson } from "./send-json.ts";

/**
 * Every error answer of the HTTP server has one shape, `{"error": "<message>", "code": "<code>"}`,
 * so a client can branch on `code` and show `error`. The codes are stable; the messages may change.
 */
export type HttpErrorCode =
  | "bad_request"
  | "invalid_input"
  | "too_many_liked"
  | "not_found"
  | "method_not_allowed"
  | "unauthorized"
  | "bad_signature"
  | "stale_timestamp"
  | "body_too_large"
  | "unsupported_encoding"
  | "unsupported_charset"
  | "malformed_body"
  | "rate_limited"
  | "starting"
  | "slack_starting"
  | "slack_off"
  | "backend_unavailable"
  | "internal";

export function sendError(
  res: Response,
  status: number,
  code: HttpErrorCode,
  message: string,
): void {
  sendJson(res, { error: message, code }, status);
}

/** After a route's own methods: any other method on that path is a 405 naming the right ones. */
export function methodNotAllowed(...methods: string[]): RequestHandler {
  const allow =
    methods.includes("GET") && !methods.includes("HEAD") ? [...methods, "HEAD"] : methods;
  return (req, res) => {
    res.set("Allow", allow.join(", "));
    sendError(
      res,
      405,
      "method_not_allowed",
      `${req.method} is not allowed here; use ${methods.join(" or ")}`,
    );
  };
}

/** body-parser's (and raw-body's) error types, as they arrive at the error handler. */
const BODY_ERRORS: Record<string, [number, HttpErrorCode, string]> = {
  "entity.too.large": [413, "body_too_large", "The request body is too large"],
  "encoding.unsupported": [415, "unsupported_encoding", "Unsupported Content-Encoding"],
  "charset.unsupported": [415, "unsupported_charset", "Unsupported charset"],
  "entity.parse.failed": [400, "malformed_body", "The request body is not valid JSON"],
  "entity.verify.failed": [400, "malformed_body", "The request body could not be verified"],
  "request.aborted": [400, "malformed_body", "The request was aborted before its body ended"],
  "request.size.invalid": [
    400,
    "malformed_body",
    "The request body does not match its Content-Length",
  ],
  "stream.encoding.set": [500, "internal", "Internal error"],
};

/**
 * The last error handler: whatever a route or a body parser throws becomes the JSON shape above.
 * Express's own handler would answer an HTML page with the stack (and print it to stderr); here the
 * stack goes to the logger only, and only for 5xx.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const err = (error ?? {}) as {
      type?: unknown;
      status?: unknown;
      statusCode?: unknown;
      expose?: unknown;
      message?: unknown;
    };
    const known = typeof err.type === "string" ? BODY_ERRORS[err.type] : undefined;
    const status =
      known?.[0] ??
      (typeof err.status === "number"
        ? err.status
        : typeof err.statusCode === "number"
          ? err.statusCode
          : 500);
    if (status === 413) res.set("Connection", "close");
    if (known && known[0] < 500) return sendError(res, known[0], known[1], known[2]);
    if (status >= 400 && status < 500) {
      const message =
        err.expose === true && typeof err.message === "string" ? err.message : "Bad request";
      return sendError(res, status, status === 413 ? "body_too_large" : "bad_request", message);
    }
    logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    sendError(res, 500, "internal", "Internal error");
  };
}
