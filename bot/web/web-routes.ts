import { readdirSync } from "node:fs";
import { join } from "node:path";
import cookieParser from "cookie-parser";
import express, { type RequestHandler, type Router } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import type { TasteStore } from "../../core/members/taste-store.ts";
import { createMemberRouter } from "./member-routes.ts";
import { WebMembers } from "./web-member.ts";

/** The page's files: plain HTML, CSS and JavaScript, served as they are (no build step). */
export const PUBLIC_DIR = join(import.meta.dirname, "public");

export interface WebOptions {
  /** Signs the member cookie (SESSION_SECRET, or the one generated into DATA_DIR). */
  sessionSecret: string;
  /** Days without a visit after which a browser is a new member (SESSION_IDLE_DAYS). */
  idleDays: number;
  /** Where posters come from (TMDB_IMAGE_BASE_URL): the one other origin the page may load. */
  imageBaseUrl: string;
  /** The member store (likes, dislikes, seen, watchlist); without one the cards have no buttons. */
  taste?: TasteStore | undefined;
  /** The core's cards: the member's recommendations, and which movieIds exist. */
  cards: CardService;
  logger: Logger;
}

/**
 * The web page on the same server as the API: `GET /` and its files, and the member endpoints
 * under /api/me. The page itself only calls /api/suggest and /api/me (its recommendations included).
 */
export function createWebRouter(options: WebOptions): Router {
  const router = express.Router();
  const files = new Set(readdirSync(PUBLIC_DIR).map((name) => `/${name}`));
  const isPage = (path: string) => path === "/" || files.has(path);

  const headers = pageHeaders(options.imageBaseUrl);
  router.use((req, res, next) => {
    if (isPage(req.path) || req.path.startsWith("/api/me")) headers(req, res, next);
    else next();
  });

  const serveStatic = express.static(PUBLIC_DIR, {
    index: "index.html",
    // Revalidated on every load (a 304 costs a few bytes), so a deploy never mixes old and new
    // files; the server sets no ETag elsewhere, but static files keep theirs for this.
    etag: true,
    lastModified: true,
    setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
  });
  // Only the page's own files: for any other path (every API call) serve-static would stat a
  // file that is not there, a file-system call per request on the hottest routes.
  router.use((req, res, next) => {
    if (isPage(req.path)) serveStatic(req, res, next);
    else next();
  });

  const members = new WebMembers({ idleDays: options.idleDays });
  router.use(
    "/api/me",
    cookieParser(options.sessionSecret),
    createMemberRouter({
      members,
      idleDays: options.idleDays,
      taste: options.taste,
      cards: options.cards,
      logger: options.logger,
    }),
  );
  return router;
}

/**
 * Content-Security-Policy: the page's own scripts and styles only (no inline code), its own API,
 * and posters from TMDB's image host. Helmet adds the usual companions (nosniff, frame and
 * referrer policies).
 */
function pageHeaders(imageBaseUrl: string): RequestHandler {
  const posters = new URL(imageBaseUrl).origin;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", posters],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Poster links open TMDB and IMDb; they need no referrer.
    referrerPolicy: { policy: "no-referrer" },
  });
}
