import { z } from "zod";
import { requestSchema } from "../requests/recommend-request.ts";
import type { Job, JobName, ReplyTarget } from "./job.ts";

/**
 * The wire form of a Job, checked when it is enqueued and again when a worker picks it up: Redis is
 * shared, a payload may come from an older or newer release, and a bad one must become a dead
 * letter rather than crash the worker.
 */
const replyTargetSchema = z.discriminatedUnion("platform", [
  z.object({
    platform: z.literal("slack"),
    responseUrl: z.url({ protocol: /^https?$/ }),
    responseType: z.enum(["ephemeral", "in_channel"]),
    replaceOriginal: z.boolean(),
  }),
  z.object({
    platform: z.literal("discord"),
    applicationId: z.string().regex(/^\d{1,25}$/),
    interactionToken: z.string().min(1).max(1000),
    ephemeral: z.boolean(),
  }),
]);

export const jobSchema = z.object({
  // BullMQ job ids are derived from this (hashed), so any printable id is fine.
  id: z.string().min(1).max(200),
  request: requestSchema,
  reply: replyTargetSchema,
  receivedAt: z.number().int().nonnegative(),
}) satisfies z.ZodType<Job>;

export class InvalidJobError extends Error {
  /** Field paths and messages only: the payload itself may hold a live interaction token. */
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid job payload: ${issues.join("; ")}`);
    this.name = "InvalidJobError";
    this.issues = issues;
  }
}

export function parseJob(data: unknown): Job {
  const parsed = jobSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new InvalidJobError(
    parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
  );
}

/** How long a platform accepts replies for an interaction (Slack response_url: 30 min; Discord token: 15 min). */
export const REPLY_LIFETIME_MS: Record<ReplyTarget["platform"], number> = {
  slack: 30 * 60_000,
  discord: 15 * 60_000,
};

/** Epoch ms after which no reply (result or apology) can reach the user. */
export function replyExpiresAt(job: Pick<Job, "reply" | "receivedAt">): number {
  return job.receivedAt + REPLY_LIFETIME_MS[job.reply.platform];
}

/** What may be logged about a job: never the response_url or the interaction token. */
export function describeJob(job: Job): {
  jobId: string;
  name: JobName;
  platform: ReplyTarget["platform"];
  receivedAt: number;
} {
  return {
    jobId: job.id,
    name: job.request.name,
    platform: job.reply.platform,
    receivedAt: job.receivedAt,
  };
}

/** Shows enough of a secret to tell two apart in a log, never enough to use it. */
export function redact(secret: string): string {
  return secret.length <= 8 ? "…" : `${secret.slice(0, 4)}…(${secret.length})`;
}

/**
 * Platform error messages may quote the URL or token they failed on; logs get a redacted form.
 * Any URL loses its path too (a response_url or webhook URL carries its secret in the path).
 */
export function scrub(message: string, job: Job): string {
  const secret =
    job.reply.platform === "slack" ? job.reply.responseUrl : job.reply.interactionToken;
  return message
    .split(secret)
    .join(redact(secret))
    .replace(/(https?:\/\/[^/\s"']+)\/[^\s"']*/g, "$1/…");
}
