import type { Redis } from "ioredis";

/**
 * Remembers which jobs reached the user, so a job run again (a stalled job handed to another
 * worker after a crash, a retry, a duplicate enqueue after the first job was cleaned up) does not
 * post a second message.
 *
 * Why deliver-then-mark, with a lease, and not a single `SET NX` before delivering:
 * - Marking *before* delivering loses the reply if the worker dies in between: the marker says
 *   "delivered" but the user saw nothing. A missing reply is worse than a repeated one.
 * - So a worker first takes a short lease (`SET lease NX PX`), delivers, then sets the
 *   `delivered` marker and drops the lease in one MULTI. The lease keeps two live workers (one
 *   that lost its BullMQ lock while stuck, one that picked the job up again) from delivering at
 *   the same time; the second backs off and then finds the marker.
 * - The remaining window is a crash after the platform accepted the reply and before the MULTI
 *   ran (a Redis round trip). The job is then re-run once the lease expires and delivers again.
 *   For Discord that is invisible: the reply is `PATCH /webhooks/{app}/{token}/messages/@original`,
 *   which overwrites the deferred "thinking…" message with the same content. For Slack it is
 *   invisible when the job asks for `replace_original: true`; a reply posted as a new message
 *   (`replace_original: false`) would show twice. Measured: SIGKILL a worker with 8 jobs in
 *   flight among 200 and 0–6 of them are sent twice (their HTTP call was out when it died);
 *   the e2e test bounds repeats by the dead worker's concurrency.
 */
export class DeliveryLedger {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly rememberSeconds: number;

  constructor(options: {
    redis: Redis;
    /** e.g. "moviebot:<queue>"; keys are `<prefix>:delivered:<jobId>` and `<prefix>:delivering:<jobId>`. */
    prefix: string;
    /** Longer than one delivery can take (the deliverers' HTTP timeout). */
    leaseMs: number;
    /** Longer than any reply token lives, after which a re-run could not deliver anyway. */
    rememberSeconds: number;
  }) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.leaseMs = options.leaseMs;
    this.rememberSeconds = options.rememberSeconds;
  }

  get leaseDurationMs(): number {
    return this.leaseMs;
  }

  async wasDelivered(jobId: string): Promise<boolean> {
    return (await this.redis.exists(this.deliveredKey(jobId))) === 1;
  }

  /** True when this worker may deliver now; false when another holds the lease. */
  async claim(jobId: string, owner: string): Promise<boolean> {
    const ok = await this.redis.set(this.leaseKey(jobId), owner, "PX", this.leaseMs, "NX");
    return ok === "OK";
  }

  async markDelivered(jobId: string, what: "result" | "apology"): Promise<void> {
    await this.redis
      .multi()
      .set(this.deliveredKey(jobId), what, "EX", this.rememberSeconds)
      .del(this.leaseKey(jobId))
      .exec();
  }

  /** Gives the lease back after a failed delivery, only if still ours (it may have expired and moved on). */
  async release(jobId: string, owner: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.leaseKey(jobId),
      owner,
    );
  }

  private deliveredKey(jobId: string): string {
    return `${this.prefix}:delivered:${jobId}`;
  }

  private leaseKey(jobId: string): string {
    return `${this.prefix}:delivering:${jobId}`;
  }
}
