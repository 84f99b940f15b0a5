/**
 * How a failed delivery should be treated, decided by the platform deliverers (which see the HTTP
 * status) and acted on by the queue (which decides whether to retry). Kept in core so the Slack and
 * Discord adapters and the BullMQ worker share one vocabulary without importing each other.
 */

/** Worth retrying: a timeout, a network error, a 5xx, or a 429 (with the platform's retry-after). */
export class TransientDeliveryError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(
    message: string,
    options?: { retryAfterMs?: number; status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TransientDeliveryError";
    this.retryAfterMs = options?.retryAfterMs;
    this.status = options?.status;
  }
}

/** Retrying cannot help: the platform rejected the reply (4xx other than 408/429), or the token died. */
export class PermanentDeliveryError extends Error {
  readonly status: number | undefined;
  /** True when the reason is a dead interaction token / response_url: no apology can reach the user either. */
  readonly targetGone: boolean;
  constructor(
    message: string,
    options?: { status?: number; targetGone?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PermanentDeliveryError";
    this.status = options?.status;
    this.targetGone = options?.targetGone ?? false;
  }
}

export type DeliveryFailure =
  | { kind: "transient"; retryAfterMs: number | undefined }
  | { kind: "permanent"; targetGone: boolean };

/**
 * What the queue should do about a delivery error. The platform deliverers throw the classes above;
 * anything else (a bug, a TypeError from fetch) counts as transient: one more try is cheap, and
 * attempts are bounded.
 */
export function classifyDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof PermanentDeliveryError) {
    return { kind: "permanent", targetGone: error.targetGone };
  }
  return {
    kind: "transient",
    retryAfterMs: error instanceof TransientDeliveryError ? error.retryAfterMs : undefined,
  };
}
