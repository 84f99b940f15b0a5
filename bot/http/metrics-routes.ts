import { timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { Registry } from "prom-client";
import { methodNotAllowed, sendError } from "./http-errors.ts";

/**
 * `GET /metrics` in the Prometheus text format, from the registry the composition root owns. With a
 * token (METRICS_TOKEN) the scraper must send `Authorization: Bearer <token>`: job counts and
 * memory figures are not for everyone.
 */
export function createMetricsRouter(registry: Registry, token?: string): Router {
  const router = Router();
  router.get("/metrics", async (req, res) => {
    if (token && !bearerMatches(req.get("authorization"), token)) {
      res.set("WWW-Authenticate", 'Bearer realm="metrics"');
      sendError(
        res,
        401,
        "unauthorized",
        "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>",
      );
      return;
    }
    try {
      const body = await registry.metrics();
      res.type(registry.contentType).send(body);
    } catch (error) {
      res
        .status(503)
        .type("text/plain")
        .send(`# metrics unavailable: ${(error as Error).message}\n`);
    }
  });
  router.all("/metrics", methodNotAllowed("GET"));
  return router;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
