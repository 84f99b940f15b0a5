import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { cardSetJson } from "../../core/cards/card.ts";
import type { CardService } from "../../core/cards/card-service.ts";
import { isMoviebotError, isUserError } from "../../core/errors.ts";
import { computeRequest } from "../../core/jobs/run-job.ts";
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  MAX_PICKS,
  MAX_QUERY_LENGTH,
  parseRequest,
} from "../../core/requests/recommend-request.ts";
import { methodNotAllowed, sendError } from "./http-errors.ts";
import { sendJson } from "./send-json.ts";

/** `?q=a&q=b` arrives as an array: say so, rather than "q is required". */
const once = (name: string, missing: string) => (issue: { input?: unknown }) =>
  Array.isArray(issue.input)
    ? `${name} was given ${issue.input.length} times; give it once`
    : issue.input === undefined
      ? missing
      : `${name} must be text`;

export const limit = (fallback: number, max: number) =>
  z
    .string({ error: once("limit", "limit must be a single number") })
    .regex(/^\d+$/, { error: `limit must be a whole number between 1 and ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: `limit must be between 1 and ${max}` })
        .max(max, { error: `limit must be between 1 and ${max}` }),
    )
    .default(fallback);

const suggestQuery = z.strictObject({
  q: z
    .string({ error: once("q", "q is required: the text to search for") })
    .trim()
    .min(1, { error: "q is required: the text to search for" })
    .max(MAX_QUERY_LENGTH, { error: `q must be at most ${MAX_QUERY_LENGTH} characters` }),
  limit: limit(DEFAULT_LIMIT, 25),
});

export const likedIds = z
  .string({ error: once("liked", "liked must be a single comma-separated list of movieIds") })
  .transform((text, ctx) => {
    const parts = text
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "");
    const bad = parts.find((p) => !/^\d{1,9}$/.test(p));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `liked must hold numeric movieIds; "${bad.slice(0, 40)}" is not one`,
      });
      return z.NEVER;
    }
    if (parts.length > MAX_PICKS) {
      ctx.addIssue({
        code: "custom",
        message: `liked holds at most ${MAX_PICKS} movieIds (got ${parts.length})`,
      });
      return z.NEVER;
    }
    return parts.map(Number);
  })
  .default([]);

/** Where the asker watches, for the providers on each result: two letters ("ch" is taken as CH). */
export const region = z
  .string({ error: "region must be a single two-letter country code, e.g. region=CH" })
  .regex(/^[A-Za-z]{2}$/, { error: "region must be a two-letter country code, e.g. region=CH" })
  .transform((text) => text.toUpperCase())
  .optional();

const recommendQuery = z.strictObject({
  liked: likedIds,
  limit: limit(DEFAULT_LIMIT, MAX_LIMIT),
  region,
});
const popularQuery = z.strictObject({ limit: limit(DEFAULT_LIMIT, MAX_LIMIT), region });

class BadRequest extends Error {}

/**
 * An unknown parameter is refused, not ignored: `?title=heat` or `?likes=6` answering the popular
 * list as if nothing were asked would look like a bad recommendation rather than a typo.
 */
function parse<T extends z.ZodObject>(schema: T, req: Request): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    const takes = Object.keys(schema.shape).join(", ");
    throw new BadRequest(
      result.error.issues
        .map((issue) =>
          issue.code === "unrecognized_keys"
            ? `Unknown parameter ${issue.keys.map((key) => key.slice(0, 40)).join(", ")}: ${req.path} takes ${takes}`
            : issue.message,
        )
        .join("; "),
    );
  }
  return result.data;
}

/** The JSON API: the contract other front ends build on. Bad input is a 400 with a message, never a 500. */
export function createApiRouter(cards: CardService, logger: Logger): Router {
  const router = express.Router();

  router.get("/api/suggest", async (req, res) => {
    const { q, limit } = parse(suggestQuery, req);
    sendJson(res, { results: await cards.suggest(q, limit) });
  });

  router.get("/api/recommend", async (req, res) => {
    const { liked, limit, region } = parse(recommendQuery, req);
    const request = parseRequest({ name: "recommend", liked, titles: [], limit, region });
    sendJson(res, cardSetJson(await computeRequest(cards, request)));
  });

  router.get("/api/popular", async (req, res) => {
    const { limit, region } = parse(popularQuery, req);
    sendJson(
      res,
      cardSetJson(await computeRequest(cards, parseRequest({ name: "popular", limit, region }))),
    );
  });

  for (const path of ["/api/suggest", "/api/recommend", "/api/popular"]) {
    router.all(path, methodNotAllowed("GET"));
  }

  router.use("/api", (_req, res) => {
    sendError(
      res,
      404,
      "not_found",
      "Unknown API path: try /api/suggest, /api/recommend or /api/popular",
    );
  });

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !req.path.startsWith("/api")) return next(error);
    if (error instanceof BadRequest) {
      sendError(res, 400, "invalid_input", error.message);
    } else if (isUserError(error)) {
      sendError(res, 400, error.code, error.message);
    } else if (
      isMoviebotError(error) &&
      (error.code === "backend_timeout" || error.code === "backend_unavailable")
    ) {
      logger.warn({ err: error, path: req.path }, "backend unavailable");
      sendError(
        res,
        503,
        "backend_unavailable",
        "The recommendation backend is unavailable; try again shortly.",
      );
    } else {
      // Body-parser and other HTTP errors carry their own status: the server's handler maps them.
      const status = (error as { status?: unknown })?.status;
      if (typeof status === "number" && status < 500) return next(error);
      logger.error({ err: error, path: req.path }, "API request failed");
      sendError(res, 500, "internal", "Internal error");
    }
  });

  return router;
}
