import { Router } from "express";
import type { Registry } from "prom-client";

/** `GET /metrics` in the Prometheus text format, from the registry the composition root owns. */
export function createMetricsRouter(registry: Registry): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
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
  return router;
}
