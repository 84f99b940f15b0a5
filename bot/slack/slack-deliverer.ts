import { PermanentDeliveryError, TransientDeliveryError } from "../../core/jobs/delivery-errors.ts";
import type { JobResult, ReplyDeliverer, ReplyTarget } from "../../core/jobs/job.ts";
import { noticeMessage, resultMessage, type SlackMessage } from "./blocks.ts";

type SlackTarget = Extract<ReplyTarget, { platform: "slack" }>;

export interface SlackDelivererOptions {
  /** Per-POST time limit; a hung connection becomes a transient error. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Origins a response_url may point at (SLACK_RESPONSE_URL_ORIGINS); Slack's hooks host by default. */
  allowedOrigins?: readonly string[];
}

/** Slack answers a response_url with "ok" or a short JSON error; nothing worth more is read. */
const MAX_REPLY_BYTES = 16 * 1024;

/**
 * Sends job results to Slack through the interaction's response_url (not the Web API: it needs no
 * token, works in channels the bot is not in, and can post in_channel for "Share to channel").
 */
export class SlackDeliverer implements ReplyDeliverer<SlackTarget> {
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly allowedOrigins: readonly string[];

  constructor(options: SlackDelivererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.allowedOrigins = options.allowedOrigins ?? ["https://hooks.slack.com"];
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
    // A response_url names where the cards go; anywhere but Slack would make us a proxy for
    // whoever can get a job queued (the job payload is only as trusted as Redis).
    const origin = URL.canParse(url) ? new URL(url).origin : null;
    if (!origin || !this.allowedOrigins.includes(origin)) {
      throw new PermanentDeliveryError(
        "response_url is not on an allowed origin (SLACK_RESPONSE_URL_ORIGINS)",
        { targetGone: true },
      );
    }
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        // Slack does not redirect response_urls; following one would leave the allowed origins.
        redirect: "manual",
      });
    } catch (error) {
      throw new TransientDeliveryError(`response_url unreachable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new PermanentDeliveryError(`response_url answered a redirect (${response.status})`, {
        status: response.status,
        targetGone: true,
      });
    }
    const text = await readCapped(response, MAX_REPLY_BYTES);
    const { detail, refused } = slackErrorOf(text);
    const status = response.status;
    if (status === 429) {
      throw new TransientDeliveryError("response_url rate limited", {
        status,
        retryAfterMs: retryAfterMsOf(response.headers.get("retry-after")),
      });
    }
    if (status >= 500) {
      throw new TransientDeliveryError(`response_url answered ${status}`, { status });
    }
    if (status >= 400) {
      throw new PermanentDeliveryError(
        `response_url answered ${status}${detail ? ` (${detail})` : ""}`,
        { status, targetGone: targetGone(status, detail) },
      );
    }
    // Slack may answer 200 with {"ok":false,"error":"invalid_blocks"}: the body will never pass.
    if (refused) {
      throw new PermanentDeliveryError(`response_url refused: ${detail}`, {
        status,
        targetGone: targetGone(status, detail),
      });
    }
  }
}

/** The start of a reply body, at most `max` bytes; the rest is never read. */
async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short tells nothing more than the status does.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

/**
 * An expired or used-up response_url (404 expired_url / used_url) or a dead token: no apology can
 * reach the asker through it either, so the queue should not try one.
 */
function targetGone(status: number, detail: string | null): boolean {
  return (
    status === 401 ||
    status === 404 ||
    status === 410 ||
    /expired_url|used_url|invalid_token/.test(detail ?? "")
  );
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

function retryAfterMsOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
