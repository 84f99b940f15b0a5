import type { Server } from "node:http";
import express, { type Router } from "express";
import type { Logger } from "pino";

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

  constructor(logger: Logger) {
    this.logger = logger;
    this.app.disable("x-powered-by");
    this.app.set("etag", false);
    this.app.get("/healthz", (_req, res) => {
      if (this.router) res.json({ status: "ok" });
      else res.status(503).json({ status: "starting" });
    });
    this.app.use((req, res, next) => {
      if (this.router) this.router(req, res, next);
      else res.status(503).json({ error: "The service is starting; try again in a few seconds." });
    });
    this.app.use((_req, res) => {
      res.status(404).json({ error: "Not found" });
    });
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
        this.logger.info({ port: bound }, "listening");
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
