import { createHash } from "node:crypto";

/** BullMQ keys live under this prefix; moviebot's own keys (ledger, dead letters) under `moviebot:<queue>`. */
export const BULL_PREFIX = "moviebot:bull";

export function moviebotKeyPrefix(queueName: string): string {
  return `moviebot:${queueName}`;
}

/**
 * BullMQ refuses custom ids that are integers (a Discord interaction id is all digits) or contain
 * ':' (a Slack-derived id may). A hash of the moviebot id is stable, so the same interaction still
 * maps to the same BullMQ job and is deduplicated.
 */
export function bullJobId(jobId: string): string {
  return `j${createHash("sha256").update(jobId).digest("hex").slice(0, 40)}`;
}
