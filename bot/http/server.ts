import type { Server } from "node:http";
import express, { type Request, type Router } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import type { Logger } from "pino";
import { jsonErrorHandler, methodNotAllowed, sendError } from "./http-errors.ts";
import { sendJson } from "./send-json.ts";

export interface HttpServerOptions {
  /** Requests per client per minute on the API and web routes; 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /** Proxies in front (Cloud Run: 1) whose X-Forwarded-For names the client. */
  trustProxyHops?: number;
}

/**
 * Paths the per-client limit leaves alone: probes, the scraper, and the chat platforms, which sign
 * their requests and send every user's clicks from a handful of addresses.
 */
const UNLIMITED = /^\/(healthz|metrics)$|^\/(slack|discord)\//;

/**
 * The one HTTP server of `npm start`: /healthz at once, everything else once the core is ready.
 * Until then requests get 503 "starting", which Cloud Run's startup probe keeps from users anyway.
 *
 * No global body parser: Slack's and Discord's signature checks need the raw body, so each
 * router parses its own.
 */
export class HttpServer {
  readonly app = express();
  private router: Router | undefined;
  private server: Server | undefined;
  private readonly logger: Logger;

  constructor(logger: Logger, options: HttpServerOptions = {}) {
    this.logger = logger;
    this.app.disable("x-powered-by");
    this.app.set("etag", false);
    this.app.set("trust proxy", options.trustProxyHops ?? 0);
    // nosniff, frame and referrer headers on every answer. No CSP: the server sends JSON, and the
    // web pages set their own.
    this.app.use(helmet({ contentSecurityPolicy: false }));
    const perMinute = options.rateLimitPerMinute ?? 0;
    if (perMinute > 0) {
      this.app.use(
        rateLimit({
          windowMs: 60_000,
          limit: perMinute,
          standardHeaders: "draft-7",
          legacyHeaders: false,
          skip: (req: Request) => UNLIMITED.test(req.path),
          handler: (_req, res, _next, limits) => {
            const seconds = res.getHeader("Retry-After") ?? Math.ceil(limits.windowMs / 1000);
            sendError(res, 429, "rate_limited", `Too many requests; try again in ${seconds} s`);
          },
        }),
      );
    }
    this.app.get("/healthz", (_req, res) => {
      if (this.router) sendJson(res, { status: "ok" });
      else sendJson(res, { status: "starting" }, 503);
    });
    this.app.all("/healthz", methodNotAllowed("GET"));
    this.app.use((req, res, next) => {
      if (this.router) this.router(req, res, next);
      else sendError(res, 503, "starting", "The service is starting; try again in a few seconds.");
    });
    this.app.use((req, res) => {
      sendError(res, 404, "not_found", `Nothing at ${req.method} ${req.path.slice(0, 100)}`);
    });
    this.app.use(jsonErrorHandler(logger));
  }

  /** Installs the routes that need the core; /healthz turns 200 from here on. */
  ready(router: Router): void {
    this.router = router;
  }

  listen(port: number, host = "0.0.0.0"): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = this.app.listen(port, host, (error?: Error) => {
        if (error) return reject(error);
        const address = server.address();
        const bound = typeof address === "object" && address ? address.port : port;
        this.logger.debug({ port: bound }, "listening");
        resolve(bound);
      });
      this.server = server;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
