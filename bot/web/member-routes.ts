import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import type { WebMembers } from "./web-member.ts";

/** What a card's buttons say about a movie. */
export const FEEDBACK_KINDS = ["like", "dislike", "seen", "watchlist"] as const;

/**
 * One click on a card. Strict: a body naming a member (or anything else) is refused, so the
 * member can only be the cookie's.
 */
export const feedbackBody = z.strictObject(
  {
    movieId: z
      .number({ error: "movieId must be a number" })
      .int({ error: "movieId must be a whole number" })
      .min(1, { error: "movieId must be positive" })
      .max(999_999_999, { error: "movieId is too large" }),
    kind: z.enum(FEEDBACK_KINDS, {
      error: `kind must be one of ${FEEDBACK_KINDS.join(", ")}`,
    }),
    on: z.boolean({ error: "on must be true (set) or false (undo)" }),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? undefined : "The body must be a JSON object",
  },
);

export interface MemberRouterOptions {
  members: WebMembers;
  idleDays: number;
  logger: Logger;
}

/**
 * /api/me: the browser's own member. Every handler takes the member from the signed cookie
 * (issuing one on the first visit) and never from the request's query or body.
 */
export function createMemberRouter(options: MemberRouterOptions): Router {
  const { members } = options;
  const router = express.Router();

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  router.use(sameSiteOnly);

  router.get("/", (req, res) => {
    const member = members.member(req, res);
    res.json({
      member: { platform: member.platform, new: member.isNew, forgetAfterDays: options.idleDays },
      // Until the member store is wired, the page shows no feedback buttons.
      feedback: false,
    });
  });

  router.delete("/", (req, res) => {
    members.clear(req, res);
    res.json({ forgotten: true });
  });

  router.post("/feedback", express.json({ limit: "2kb" }), (req, res) => {
    if (!req.is("application/json")) {
      res.status(415).json({ error: "Send the body as application/json", code: "invalid_body" });
      return;
    }
    const parsed = feedbackBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: parsed.error.issues.map((issue) => issue.message).join("; "),
        code: "invalid_input",
      });
      return;
    }
    members.member(req, res);
    res.status(503).json({
      error: "Likes, seen films and watchlists are not stored on this server yet.",
      code: "feedback_unavailable",
    });
  });

  router.use((req, res) => {
    res.status(404).json({ error: `Unknown member path: ${req.method} /api/me${req.path}` });
  });
  router.use(memberErrors(options.logger));
  return router;
}

/**
 * Writes come only from our own page. SameSite=Lax already keeps the cookie off other sites'
 * POSTs and DELETEs; this refuses them outright, from the browser's own Sec-Fetch-Site and Origin.
 */
function sameSiteOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method === "GET" || req.method === "HEAD") {
    next();
    return;
  }
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  const crossSite =
    (site !== undefined && site !== "same-origin" && site !== "none") ||
    (origin !== undefined && hostOf(origin) !== req.get("host"));
  if (crossSite) {
    res
      .status(403)
      .json({ error: "Only this site's page may change its member", code: "cross_site" });
    return;
  }
  next();
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Errors of the member endpoints as JSON with a stable code, like the rest of the API. */
function memberErrors(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const type = (error as { type?: unknown }).type;
      res.status(status).json({
        error:
          type === "entity.parse.failed"
            ? "The body is not valid JSON"
            : type === "entity.too.large"
              ? "The body is too large"
              : "Bad request",
        code: type === "entity.too.large" ? "body_too_large" : "invalid_body",
      });
      return;
    }
    logger.error({ err: error, path: req.path }, "web request failed");
    res.status(500).json({ error: "Internal error", code: "internal" });
  };
}
