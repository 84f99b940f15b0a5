import type { Job as BullJob } from "bullmq";
import { classifyDeliveryFailure, type DeliveryFailure } from "../../core/jobs/delivery-errors.ts";

/*
 * When to try a job again. BullMQ calls retryDelayMs (the worker's backoffStrategy); the processor
 * uses nextRetryMs to see whether that retry would come too late for the reply token.
 */

/**
 * BullMQ's retry delay for moviebot jobs: what the platform asked for (429 retry-after), else
 * exponential from `baseMs` with ±25 % jitter so retries from a burst do not arrive together.
 */
export function retryDelayMs(attemptsMade: number, baseMs: number, error?: Error): number {
  const failure = classifyDeliveryFailure(error);
  if (failure.kind === "transient" && failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs;
  }
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

/** The longest the next retry may wait: what a 429 asked for, else the backoff with its jitter. */
export function nextRetryMs(
  bullJob: Pick<BullJob, "opts" | "attemptsMade">,
  failure: DeliveryFailure,
): number {
  if (failure.kind === "transient" && failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs;
  }
  const backoff = bullJob.opts.backoff;
  const base = typeof backoff === "number" ? backoff : (backoff?.delay ?? 0);
  return base * 2 ** bullJob.attemptsMade * 1.25;
}
