import type { JobResult, ReplyDeliverer, ReplyTarget } from "../../core/jobs/job.ts";
import { noticeMessage, resultMessage, type SlackMessage } from "./blocks.ts";

type SlackTarget = Extract<ReplyTarget, { platform: "slack" }>;

/**
 * A response_url POST failed. `transient` tells a queue whether retrying can help: a 5xx, a 429 or
 * a network error may pass; an expired or used URL (404) or a rejected body (other 4xx) never will.
 */
export class SlackDeliveryError extends Error {
  readonly transient: boolean;
  readonly status: number | null;
  constructor(message: string, transient: boolean, status: number | null, options?: ErrorOptions) {
    super(message, options);
    this.name = "SlackDeliveryError";
    this.transient = transient;
    this.status = status;
  }
}

/** Worth retrying: 5xx, network failure, or 429 (then `retryAfterMs` says when). */
export class TransientDeliveryError extends SlackDeliveryError {
  readonly retryAfterMs: number | null;
  constructor(
    message: string,
    status: number | null,
    retryAfterMs: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, true, status, options);
    this.name = "TransientDeliveryError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** Never worth retrying: the response_url expired or was used up (404), or Slack rejected the body. */
export class PermanentDeliveryError extends SlackDeliveryError {
  constructor(message: string, status: number | null) {
    super(message, false, status);
    this.name = "PermanentDeliveryError";
  }
}

export interface SlackDelivererOptions {
  /** Per-POST time limit; a hung connection becomes a transient error. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Sends job results to Slack through the interaction's response_url (not the Web API: it needs no
 * token, works in channels the bot is not in, and can post in_channel for "Share to channel").
 */
export class SlackDeliverer implements ReplyDeliverer<SlackTarget> {
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: SlackDelivererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async deliver(target: SlackTarget, result: JobResult): Promise<void> {
    const message = resultMessage(result, { shared: target.responseType === "in_channel" });
    await this.post(target.responseUrl, {
      response_type: target.responseType,
      replace_original: target.replaceOriginal,
      ...message,
    });
  }

  /** Apologies go to the asker alone, even when the answer was meant for the channel. */
  async apologize(target: SlackTarget, message: string): Promise<void> {
    await this.post(target.responseUrl, {
      response_type: "ephemeral",
      replace_original: false,
      ...noticeMessage(message),
    });
  }

  private async post(
    url: string,
    body: SlackMessage & { response_type: string; replace_original: boolean },
  ): Promise<void> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new TransientDeliveryError(
        `response_url unreachable: ${(error as Error).message}`,
        null,
        null,
        { cause: error },
      );
    }
    const text = await response.text().catch(() => "");
    const { detail, refused } = slackErrorOf(text);
    if (response.status === 429) {
      throw new TransientDeliveryError(
        "response_url rate limited",
        429,
        retryAfterMs(response.headers.get("retry-after")),
      );
    }
    if (response.status >= 500) {
      throw new TransientDeliveryError(`response_url answered ${response.status}`, response.status);
    }
    if (response.status >= 400) {
      throw new PermanentDeliveryError(
        `response_url answered ${response.status}${detail ? ` (${detail})` : ""}`,
        response.status,
      );
    }
    // Slack may answer 200 with {"ok":false,"error":"invalid_blocks"}: the body will never pass.
    if (refused)
      throw new PermanentDeliveryError(`response_url refused: ${detail}`, response.status);
  }
}

/** Slack answers "ok", `{"ok":true}`, or an error as text ("expired_url") or `{"ok":false,...}`. */
function slackErrorOf(text: string): { detail: string | null; refused: boolean } {
  if (!text.startsWith("{")) {
    return { detail: text && text !== "ok" ? text.slice(0, 200) : null, refused: false };
  }
  try {
    const parsed = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (parsed.ok === false) {
      return { detail: typeof parsed.error === "string" ? parsed.error : "not ok", refused: true };
    }
  } catch {
    // Not JSON after all: nothing to report beyond the status.
  }
  return { detail: null, refused: false };
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
