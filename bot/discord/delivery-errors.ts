import { DiscordAPIError, HTTPError, RateLimitError } from "@discordjs/rest";

/** Interaction tokens (and so the webhook that edits the reply) expire 15 minutes after the interaction. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** True when a reply to an interaction received at `receivedAt` can no longer be delivered. */
export function interactionExpired(receivedAt: number, now = Date.now()): boolean {
  return now - receivedAt >= INTERACTION_TOKEN_LIFETIME_MS;
}

/** Discord error codes meaning the interaction webhook is gone: unknown webhook, invalid token. */
const EXPIRED_WEBHOOK_CODES = new Set<number | string>([10015, 50027]);

/**
 * A reply could not be delivered. `retryable` says whether trying again can help; the queue
 * uses it to decide between a retry with backoff and giving up.
 */
export class DiscordDeliveryError extends Error {
  readonly retryable: boolean;
  /** HTTP status from Discord; null for network failures. */
  readonly status: number | null;
  constructor(message: string, retryable: boolean, status: number | null, options?: ErrorOptions) {
    super(message, options);
    this.name = "DiscordDeliveryError";
    this.retryable = retryable;
    this.status = status;
  }
}

/** 5xx, 429 and network failures: Discord or the path to it is struggling; retry later. */
export class TransientDeliveryError extends DiscordDeliveryError {
  /** Milliseconds Discord asked us to wait (rate limits); null when it did not say. */
  readonly retryAfterMs: number | null;
  constructor(
    message: string,
    status: number | null,
    retryAfterMs: number | null,
    options?: ErrorOptions,
  ) {
    super(message, true, status, options);
    this.name = "TransientDeliveryError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** 4xx other than 429: the request itself is wrong; retrying sends the same wrong request. */
export class PermanentDeliveryError extends DiscordDeliveryError {
  constructor(message: string, status: number | null, options?: ErrorOptions) {
    super(message, false, status, options);
    this.name = "PermanentDeliveryError";
  }
}

/** The interaction token expired (15 minutes) or the message is gone: nobody can be answered. */
export class ExpiredInteractionError extends PermanentDeliveryError {
  constructor(message: string, status: number | null, options?: ErrorOptions) {
    super(message, status, options);
    this.name = "ExpiredInteractionError";
  }
}

/**
 * Maps whatever @discordjs/rest threw to one of the classes above. The original error is not kept
 * as `cause`: its URL holds the interaction token, which must not reach logs or job records.
 */
export function classifyDeliveryError(error: unknown): DiscordDeliveryError {
  if (error instanceof DiscordDeliveryError) return error;
  if (error instanceof RateLimitError) {
    return new TransientDeliveryError("Discord rate limit", 429, error.retryAfter);
  }
  if (error instanceof HTTPError) {
    const retryable = error.status >= 500 || error.status === 429;
    return retryable
      ? new TransientDeliveryError(`Discord answered ${error.status}`, error.status, null)
      : new PermanentDeliveryError(`Discord answered ${error.status}`, error.status);
  }
  if (error instanceof DiscordAPIError) {
    const message = `Discord answered ${error.status} (code ${error.code})`;
    if (error.status === 429 || error.status >= 500) {
      return new TransientDeliveryError(message, error.status, null);
    }
    if (EXPIRED_WEBHOOK_CODES.has(error.code)) {
      return new ExpiredInteractionError(message, error.status);
    }
    return new PermanentDeliveryError(message, error.status);
  }
  // Connection refused or reset, DNS, timeouts (AbortError): the request never got an answer.
  const message = error instanceof Error ? error.message : String(error);
  return new TransientDeliveryError(`Network error: ${message}`, null, null);
}
