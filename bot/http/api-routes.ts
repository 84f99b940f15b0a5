import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { cardSetJson } from "../../core/cards/card.ts";
import { type CardService, MAX_LIKED } from "../../core/cards/card-service.ts";
import { isMoviebotError } from "../../core/errors.ts";

/** Longest search text accepted: a title, not an essay. */
export const MAX_QUERY_LENGTH = 200;

const limit = (fallback: number, max: number) =>
  z
    .string({ error: "limit must be a single number" })
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

const suggestQuery = z.object({
  q: z
    .string({ error: "q is required: the text to search for" })
    .trim()
    .min(1, { error: "q is required: the text to search for" })
    .max(MAX_QUERY_LENGTH, { error: `q must be at most ${MAX_QUERY_LENGTH} characters` }),
  limit: limit(10, 25),
});

const likedIds = z
  .string({ error: "liked must be a single comma-separated list of movieIds" })
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
    if (parts.length > MAX_LIKED) {
      ctx.addIssue({
        code: "custom",
        message: `liked holds at most ${MAX_LIKED} movieIds (got ${parts.length})`,
      });
      return z.NEVER;
    }
    return parts.map(Number);
  })
  .default([]);

/** Where the asker watches, for the providers on each result: two letters ("ch" is taken as CH). */
const region = z
  .string({ error: "region must be a single two-letter country code, e.g. region=CH" })
  .regex(/^[A-Za-z]{2}$/, { error: "region must be a two-letter country code, e.g. region=CH" })
  .transform((text) => text.toUpperCase())
  .optional();

const recommendQuery = z.object({ liked: likedIds, limit: limit(10, 50), region });
const popularQuery = z.object({ limit: limit(10, 50), region });

class BadRequest extends Error {}

function parse<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) throw new BadRequest(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

/** The JSON API: the contract other front ends build on. Bad input is a 400 with a message, never a 500. */
export function createApiRouter(cards: CardService, logger: Logger): Router {
  const router = express.Router();

  router.get("/api/suggest", async (req, res) => {
    const { q, limit } = parse(suggestQuery, req);
    res.json({ results: await cards.suggest(q, limit) });
  });

  router.get("/api/recommend", async (req, res) => {
    const { liked, limit, region } = parse(recommendQuery, req);
    res.json(cardSetJson(await cards.recommend(liked, limit, { region })));
  });

  router.get("/api/popular", async (req, res) => {
    const { limit, region } = parse(popularQuery, req);
    res.json(cardSetJson(await cards.popular(limit, { region })));
  });

  router.use("/api", (_req, res) => {
    res
      .status(404)
      .json({ error: "Unknown API path: try /api/suggest, /api/recommend or /api/popular" });
  });

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !req.path.startsWith("/api")) return next(error);
    if (error instanceof BadRequest) {
      res.status(400).json({ error: error.message });
    } else if (
      isMoviebotError(error) &&
      (error.code === "invalid_input" || error.code === "too_many_liked")
    ) {
      res.status(400).json({ error: error.message });
    } else if (
      isMoviebotError(error) &&
      (error.code === "backend_timeout" || error.code === "backend_unavailable")
    ) {
      logger.warn({ err: error, path: req.path }, "backend unavailable");
      res
        .status(503)
        .json({ error: "The recommendation backend is unavailable; try again shortly." });
    } else {
      logger.error({ err: error, path: req.path }, "API request failed");
      res.status(500).json({ error: "Internal error" });
    }
  });

  return router;
}
