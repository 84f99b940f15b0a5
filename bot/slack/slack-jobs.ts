import { createHash } from "node:crypto";
import type { RespondFn } from "@slack/bolt";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import { PermanentDeliveryError, TransientDeliveryError } from "../../core/jobs/delivery-errors.ts";
import type {
  Job,
  JobQueue,
  JobRequest,
  JobResult,
  ReplyDeliverer,
  ReplyTarget,
} from "../../core/jobs/job.ts";
import { MESSAGES } from "../chat/chat-shared.ts";
import { type Sharing, shareIdFor } from "../chat/share-cards.ts";
import { noticeMessage, resultMessage, type SlackMessage, shownCards } from "./blocks.ts";

// Slack's side of the job queue, both ends: a job built from an interaction and submitted once,
// and its result delivered to the interaction's response_url.

/** The parts of a slash command or block_actions body a job is built from. */
export interface Interaction {
  trigger_id?: string;
  response_url?: string;
  /** Slash commands: user_id; interactivity: user.id. Only used to make a hashed id unique. */
  user?: string;
}

export interface ReplyStyle {
  responseType: "ephemeral" | "in_channel";
  replaceOriginal: boolean;
}

/**
 * A job for one interaction. The id comes from trigger_id (unique per command or click) so the
 * same interaction can never run twice; without one, from a hash of what identifies the request.
 * Null when Slack gave no response_url: there would be nowhere to answer.
 */
export function jobFor(
  interaction: Interaction,
  request: JobRequest,
  style: ReplyStyle,
  now = Date.now(),
): Job | null {
  const responseUrl = interaction.response_url;
  if (!responseUrl) return null;
  const id = interaction.trigger_id
    ? `slack:${interaction.trigger_id}`
    : `slack:${createHash("sha256")
        .update(JSON.stringify([responseUrl, interaction.user ?? "", request, style]))
        .digest("hex")
        .slice(0, 32)}`;
  return {
    id,
    request,
    reply: { platform: "slack", responseUrl, ...style },
    receivedAt: now,
  };
}

/**
 * Hands jobs to the queue once per id (the queue dedupes too; this also covers a queue that
 * forgets), and turns a queue that refuses into an apology: after ack() the user must hear back.
 */
export class SlackJobSubmitter {
  private readonly jobs: JobQueue;
  private readonly logger: Logger;
  // response_url lives 30 minutes; an id older than that cannot be answered twice anyway.
  private readonly seen = new LRUCache<string, true>({ max: 10_000, ttl: 30 * 60_000 });

  constructor(jobs: JobQueue, logger: Logger) {
    this.jobs = jobs;
    this.logger = logger;
  }

  async submit(job: Job | null, respond: RespondFn): Promise<void> {
    if (!job) {
      this.logger.warn("slack interaction without response_url; nothing to answer");
      return;
    }
    if (this.seen.has(job.id)) return;
    this.seen.set(job.id, true);
    try {
      await this.jobs.submit(job);
    } catch (error) {
      this.logger.error({ err: error, jobId: job.id }, "could not queue slack job");
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage(MESSAGES.couldNotStart),
      }).catch((respondError: unknown) =>
        this.logger.error({ err: respondError, jobId: job.id }, "could not apologise on slack"),
      );
    }
  }
}

type SlackTarget = Extract<ReplyTarget, { platform: "slack" }>;

export interface SlackDelivererOptions {
  /** Per-POST time limit; a hung connection becomes a transient error. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Origins a response_url may point at (SLACK_RESPONSE_URL_ORIGINS); Slack's hooks host by default. */
  allowedOrigins?: readonly string[];
  /** Where a private result's cards are kept for "Share to channel"; absent: no Share button. */
  sharing?: Sharing;
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
  private readonly sharing: Sharing | undefined;

  constructor(options: SlackDelivererOptions = {}) {
    this.sharing = options.sharing;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.allowedOrigins = options.allowedOrigins ?? ["https://hooks.slack.com"];
  }

  async deliver(target: SlackTarget, result: JobResult): Promise<void> {
    // Only a private result has a Share button: one in the channel is already shared.
    const shareId =
      target.responseType === "ephemeral"
        ? await shareIdFor(this.sharing, shownCards(result))
        : null;
    const message = resultMessage(result, { shareId });
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
