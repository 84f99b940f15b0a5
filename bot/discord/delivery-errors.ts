import { DiscordAPIError, HTTPError, RateLimitError } from "@discordjs/rest";
import { PermanentDeliveryError, TransientDeliveryError } from "../../core/jobs/delivery-errors.ts";

/** Discord error codes meaning the interaction webhook is gone: unknown webhook, invalid token. */
const EXPIRED_WEBHOOK_CODES = new Set<number | string>([10015, 50027]);

/** Statuses on the interaction webhook that mean nobody can be answered through it any more. */
const TARGET_GONE_STATUSES = new Set([401, 404, 410]);

/**
 * Maps whatever @discordjs/rest threw to the core delivery errors, so the queue decides between a
 * retry and giving up the same way for every platform. The original error is never kept as
 * `cause` nor quoted in the message: its URL holds the interaction token, which must not reach
 * logs or job records.
 */
export function deliveryErrorFromRest(
  error: unknown,
): TransientDeliveryError | PermanentDeliveryError {
  if (error instanceof TransientDeliveryError || error instanceof PermanentDeliveryError) {
    return error;
  }
  if (error instanceof RateLimitError) {
    return new TransientDeliveryError("Discord rate limit", {
      status: 429,
      retryAfterMs: error.retryAfter,
    });
  }
  if (error instanceof HTTPError) {
    const message = `Discord answered ${error.status}`;
    return error.status >= 500 || error.status === 429
      ? new TransientDeliveryError(message, { status: error.status })
      : new PermanentDeliveryError(message, {
          status: error.status,
          targetGone: TARGET_GONE_STATUSES.has(error.status),
        });
  }
  if (error instanceof DiscordAPIError) {
    const message = `Discord answered ${error.status} (code ${error.code})`;
    if (error.status === 429 || error.status >= 500) {
      return new TransientDeliveryError(message, { status: error.status });
    }
    return new PermanentDeliveryError(message, {
      status: error.status,
      targetGone: EXPIRED_WEBHOOK_CODES.has(error.code) || TARGET_GONE_STATUSES.has(error.status),
    });
  }
  // Connection refused or reset, DNS, timeouts (AbortError): the request never got an answer.
  const message = error instanceof Error ? error.message : String(error);
  return new TransientDeliveryError(`Network error: ${message}`);
}
