import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import type { CardService } from "../../core/cards/card-service.ts";
import { memberExport } from "../../core/members/member-export.ts";
import {
  type MemberId,
  memberId,
  TASTE_KINDS,
  type TasteStore,
  TasteStoreUnavailableError,
  tasteByMovie,
} from "../../core/members/taste-store.ts";
import { sendJson } from "../http/send-json.ts";
import { addMemberRecommendRoutes } from "./member-recommend-routes.ts";
import type { WebMember, WebMembers } from "./web-member.ts";

/** What a card's buttons say about a movie: the member store's kinds. */
export const FEEDBACK_KINDS = TASTE_KINDS;

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
  /** Where 👍/👎/Seen it/Watchlist are kept, as Slack's and Discord's are; none: no buttons. */
  taste?: TasteStore | undefined;
  /** Recommendations for the cookie's member (GET /api/me/recommend). */
  cards: CardService;
  logger: Logger;
}

/** The store's name for a web member: platform "web", the one "web" workspace, the cookie's id. */
const storeId = (member: WebMember): MemberId =>
  memberId(member.platform, member.workspace, member.user);

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

  const { taste, logger } = options;

  /**
   * The request's member; a restamped visit is also recorded in the store (best effort), since
   * the idle sweep deletes members the store has not seen for SESSION_IDLE_DAYS.
   */
  const visit = (req: Request, res: Response): WebMember => {
    const member = members.member(req, res);
    if (taste && member.stamped && !member.isNew) {
      taste.touch(storeId(member)).catch((error: unknown) => {
        logger.warn({ err: error }, "web member: visit not recorded");
      });
    }
    return member;
  };

  router.get("/", async (req, res) => {
    const member = visit(req, res);
    const about = {
      platform: member.platform,
      new: member.isNew,
      forgetAfterDays: options.idleDays,
    };
    if (!taste) {
      res.json({ member: about, feedback: false, taste: {} });
      return;
    }
    try {
      const entries = member.isNew ? [] : await taste.entries(storeId(member));
      res.json({ member: about, feedback: true, taste: Object.fromEntries(tasteByMovie(entries)) });
    } catch (error) {
      if (!(error instanceof TasteStoreUnavailableError)) throw error;
      logger.warn({ err: error }, "web member: taste store unavailable");
      // The buttons stay: a click will say it could not be saved.
      res.json({ member: about, feedback: true, taste: {} });
    }
  });

  // Export: everything the store holds about this browser's member, as Slack's and Discord's
  // members get it, as a file to keep.
  router.get("/export", async (req, res) => {
    const member = storeId(visit(req, res));
    try {
      const entries = taste ? await taste.entries(member) : [];
      res.setHeader("Content-Disposition", 'attachment; filename="moviebot-export.json"');
      sendJson(res, memberExport(member, entries, options.cards.catalog));
    } catch (error) {
      if (!(error instanceof TasteStoreUnavailableError)) throw error;
      logger.warn({ err: error }, "web member: export failed");
      res.status(503).json({
        error: "Could not read your data just now (the member database did not answer); try again.",
        code: "taste_unavailable",
      });
    }
  });

  router.delete("/", async (req, res) => {
    const found = members.read(req);
    let rows = 0;
    if (taste && found) {
      try {
        rows = await taste.forget(
          storeId({ platform: "web", workspace: "web", ...found, isNew: false, stamped: false }),
        );
      } catch (error) {
        if (!(error instanceof TasteStoreUnavailableError)) throw error;
        logger.warn({ err: error }, "web member: forget failed");
        // The cookie stays, so trying again forgets the same member.
        res.status(503).json({
          error: "Could not forget you just now (the member database did not answer); try again.",
          code: "taste_unavailable",
        });
        return;
      }
    }
    members.clear(req, res);
    res.json({ forgotten: true, rows });
  });

  router.post("/feedback", express.json({ limit: "2kb" }), async (req, res) => {
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
    const { movieId, kind, on } = parsed.data;
    if (options.cards.movie(movieId) === undefined) {
      res.status(400).json({ error: `No movie has movieId ${movieId}`, code: "invalid_input" });
      return;
    }
    const member = visit(req, res);
    if (!taste) {
      res.status(503).json({
        error: "Likes, seen films and watchlists are not stored on this server.",
        code: "feedback_unavailable",
      });
      return;
    }
    try {
      const state = await taste.mark(storeId(member), movieId, kind, on);
      res.json({ movieId, taste: state });
    } catch (error) {
      if (!(error instanceof TasteStoreUnavailableError)) throw error;
      logger.warn({ err: error, kind }, "web member: click not saved");
      res.status(503).json({
        error: "Your click could not be saved (the member database did not answer); try again.",
        code: "taste_unavailable",
      });
    }
  });

  addMemberRecommendRoutes(router, {
    cards: options.cards,
    member: (req, res) => storeId(visit(req, res)),
    logger,
  });

  router.use((req, res) => {
    res.status(404).json({
      error: `Unknown member path: ${req.method} /api/me${req.path.slice(0, 100)}`,
      code: "not_found",
    });
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
