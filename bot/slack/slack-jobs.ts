import { createHash } from "node:crypto";
import type { RespondFn } from "@slack/bolt";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { Job, JobQueue, JobRequest } from "../../core/jobs/job.ts";
import { MESSAGES } from "../chat/chat-shared.ts";
import { noticeMessage } from "./blocks.ts";

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
