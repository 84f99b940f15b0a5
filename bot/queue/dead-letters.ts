import type { Redis } from "ioredis";

export type DeadLetterReason =
  | "invalid_payload"
  | "unknown_job_name"
  | "token_expired"
  | "delivery_rejected"
  | "attempts_exhausted"
  | "stalled";

/** One job that gave up. No payload: it may hold a live response_url or interaction token. */
export interface DeadLetter {
  /** Moviebot job id (from the interaction), or the BullMQ id when the payload was unreadable. */
  jobId: string;
  bullJobId: string;
  name: string;
  platform: string | null;
  reason: DeadLetterReason;
  /** The error message, for the operator. */
  detail: string;
  attempts: number;
  apologized: boolean;
  at: string;
}

/**
 * Dead letters live in a capped Redis list, newest first, so an operator can read them with
 * `redis-cli LRANGE moviebot:<queue>:dead-letters 0 20` without BullMQ tooling. BullMQ's own
 * failed set keeps the same jobs (with `failedReason`) for the retention configured on the queue.
 */
export class DeadLetterLog {
  private readonly redis: Redis;
  readonly key: string;
  private readonly keep: number;

  constructor(options: { redis: Redis; prefix: string; keep?: number }) {
    this.redis = options.redis;
    this.key = `${options.prefix}:dead-letters`;
    this.keep = options.keep ?? 1000;
  }

  async record(letter: DeadLetter): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key, JSON.stringify(letter))
      .ltrim(this.key, 0, this.keep - 1)
      .exec();
  }

  async count(): Promise<number> {
    return this.redis.llen(this.key);
  }

  async latest(limit = 20): Promise<DeadLetter[]> {
    const rows = await this.redis.lrange(this.key, 0, limit - 1);
    return rows.map((row) => JSON.parse(row) as DeadLetter);
  }
}
