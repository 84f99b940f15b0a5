import { type Job as BullJob, UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import type { CardService } from "../../core/cards/card-service.ts";
import { isUserError } from "../../core/errors.ts";
import {
  classifyDeliveryFailure,
  PermanentDeliveryError,
  TransientDeliveryError,
} from "../../core/jobs/delivery-errors.ts";
import type { Job, JobName, JobResult } from "../../core/jobs/job.ts";
import {
  describeJob,
  InvalidJobError,
  parseJob,
  replyExpiresAt,
  scrub,
} from "../../core/jobs/job-schema.ts";
import { apologyFor, computeJob, type Deliverers, delivererFor } from "../../core/jobs/run-job.ts";
import { MESSAGES } from "../../core/messages.ts";
import type { DeadLetterLog, DeadLetterReason } from "./dead-letters.ts";
import type { DeliveryLedger } from "./delivery-ledger.ts";
import type { Outcome, QueueMetrics } from "./queue-metrics.ts";
import { nextRetryMs } from "./retry-policy.ts";

export interface ProcessorDeps {
  cards: CardService;
  deliverers: Deliverers;
  ledger: DeliveryLedger;
  deadLetters: DeadLetterLog;
  metrics?: QueueMetrics;
  logger: Logger;
  /** Identifies this worker in delivery leases. */
  owner: string;
  now?: () => number;
}

type Reply = { kind: "result"; result: JobResult } | { kind: "apology"; message: string };

const GIVE_UP_APOLOGY = MESSAGES.gaveUp;

/**
 * The worker's job handler: validate, skip if already delivered, compute with the core, deliver
 * once through the ledger, and decide between "retry later" (throw; BullMQ backs off) and "give
 * up" (dead letter, apology if the reply token still lives, UnrecoverableError so BullMQ stops).
 */
export function createJobProcessor(deps: ProcessorDeps) {
  const now = deps.now ?? Date.now;

  async function process(bullJob: BullJob<unknown, Outcome, string>): Promise<Outcome> {
    const name = bullJob.name as JobName;
    switch (name) {
      case "recommend":
      case "popular":
        return handle(bullJob, name);
      default: {
        const unknown: never = name;
        return deadUnreadable(bullJob, "unknown_job_name", `Unknown job name "${String(unknown)}"`);
      }
    }
  }

  /**
   * BullMQ failed a job without running the processor: it stalled (its worker died) more often
   * than maxStalledCount allows. Same give-up path: dead letter, apology if the token lives.
   */
  async function stalledOut(
    bullJob: BullJob<unknown, Outcome, string>,
    detail: string,
  ): Promise<void> {
    const parsed = jobSchemaSafe(bullJob.data);
    if (!parsed) return recordDeadLetter(bullJob, undefined, "stalled", detail, false);
    if (await wasDelivered(parsed)) return;
    const alive = now() < replyExpiresAt(parsed);
    const apologized = alive ? await apologizeOnce(parsed) : false;
    await recordDeadLetter(bullJob, parsed, "stalled", detail, apologized);
  }

  return { process, stalledOut };

  async function handle(
    bullJob: BullJob<unknown, Outcome, string>,
    name: JobName,
  ): Promise<Outcome> {
    let job: Job;
    try {
      job = parseJob(bullJob.data);
    } catch (error) {
      if (!(error instanceof InvalidJobError)) throw error;
      return deadUnreadable(bullJob, "invalid_payload", error.message);
    }
    if (job.request.name !== name) {
      return deadUnreadable(
        bullJob,
        "invalid_payload",
        `Job name "${name}" does not match its request`,
      );
    }
    if (await wasDelivered(job)) return finish("duplicate");

    const expiresAt = replyExpiresAt(job);
    if (now() >= expiresAt) {
      // The token is dead: neither the answer nor an apology can reach the user.
      await giveUp(bullJob, job, "token_expired", "Reply token expired before the job ran", false);
    }

    try {
      const reply = await compute(job);
      return await deliverOnce(bullJob, job, reply);
    } catch (error) {
      const message = scrub(error instanceof Error ? error.message : String(error), job);
      const attempts = bullJob.opts.attempts ?? 1;
      const lastAttempt = bullJob.attemptsMade + 1 >= attempts;
      const failure = classifyDeliveryFailure(error);
      // If the token would die before the next try, give up now, while an apology can still land.
      const tooLate = now() + nextRetryMs(bullJob, failure) >= expiresAt;
      if (failure.kind === "permanent") {
        const reason = failure.targetGone ? "token_expired" : "delivery_rejected";
        await giveUp(bullJob, job, reason, message, !failure.targetGone && now() < expiresAt);
      }
      if (tooLate) await giveUp(bullJob, job, "token_expired", message, now() < expiresAt);
      if (lastAttempt) await giveUp(bullJob, job, "attempts_exhausted", message, true);
      deps.logger.warn(
        { ...describeJob(job), attempt: bullJob.attemptsMade + 1, attempts, err: message },
        "job failed; will retry",
      );
      finish("retried");
      throw error;
    }
  }

  async function compute(job: Job): Promise<Reply> {
    try {
      return { kind: "result", result: await computeJob(deps.cards, job) };
    } catch (error) {
      // Errors the user caused (too many picks) are the answer, not a failure: tell them now.
      if (isUserError(error)) {
        return { kind: "apology", message: apologyFor(error) };
      }
      throw error;
    }
  }

  async function deliverOnce(
    bullJob: BullJob<unknown, Outcome, string>,
    job: Job,
    reply: Reply,
  ): Promise<Outcome> {
    let deliverer: ReturnType<typeof delivererFor>;
    try {
      deliverer = delivererFor(deps.deliverers, job.reply);
    } catch (error) {
      throw new PermanentDeliveryError((error as Error).message);
    }
    if (!(await claim(job))) {
      if (await wasDelivered(job)) return finish("duplicate");
      throw new TransientDeliveryError("Another worker is delivering this job", {
        retryAfterMs: deps.ledger.leaseDurationMs,
      });
    }
    try {
      if (reply.kind === "result") await deliverer.deliver(job.reply, reply.result);
      else await deliverer.apologize(job.reply, reply.message);
    } catch (error) {
      await deps.ledger.release(job.id, deps.owner).catch(() => {});
      throw error;
    }
    await markDelivered(job, reply.kind);
    deps.metrics?.observeDelivered(job.reply.platform, bullJob.timestamp, now());
    deps.logger.info({ ...describeJob(job), reply: reply.kind }, "job delivered");
    return finish(reply.kind === "result" ? "delivered" : "apologized");
  }

  /*
   * The ledger guards against duplicates; when Redis cannot answer it, the reply goes out anyway.
   * A reply that might repeat (and replaces the same message) beats a user left with nothing.
   */
  async function wasDelivered(job: Job): Promise<boolean> {
    try {
      return await deps.ledger.wasDelivered(job.id);
    } catch (error) {
      ledgerDown(job, error);
      return false;
    }
  }

  async function claim(job: Job): Promise<boolean> {
    try {
      return await deps.ledger.claim(job.id, deps.owner);
    } catch (error) {
      ledgerDown(job, error);
      return true;
    }
  }

  function ledgerDown(job: Job, error: unknown): void {
    deps.logger.warn(
      { ...describeJob(job), err: (error as Error).message },
      "delivery ledger unavailable; delivering without the duplicate check",
    );
  }

  async function markDelivered(job: Job, what: Reply["kind"]): Promise<void> {
    try {
      await deps.ledger.markDelivered(job.id, what === "result" ? "result" : "apology");
    } catch (error) {
      // The user has the reply; failing the job now would only make a retry deliver it again.
      deps.logger.warn(
        { ...describeJob(job), err: (error as Error).message },
        "delivered, but could not record it",
      );
    }
  }

  /** Records the dead letter, apologises when it can, and stops BullMQ from retrying. */
  async function giveUp(
    bullJob: BullJob<unknown, Outcome, string>,
    job: Job,
    reason: DeadLetterReason,
    detail: string,
    mayApologize: boolean,
  ): Promise<never> {
    const apologized = mayApologize ? await apologizeOnce(job) : false;
    await recordDeadLetter(bullJob, job, reason, detail, apologized);
    throw new UnrecoverableError(`${reason}: ${detail}`);
  }

  async function apologizeOnce(job: Job): Promise<boolean> {
    try {
      if (!(await claim(job))) return false;
      try {
        await delivererFor(deps.deliverers, job.reply).apologize(job.reply, GIVE_UP_APOLOGY);
      } catch (error) {
        await deps.ledger.release(job.id, deps.owner).catch(() => {});
        throw error;
      }
      await markDelivered(job, "apology");
      return true;
    } catch (error) {
      deps.logger.warn(
        { ...describeJob(job), err: scrub((error as Error).message, job) },
        "could not deliver the apology",
      );
      return false;
    }
  }

  async function recordDeadLetter(
    bullJob: BullJob<unknown, Outcome, string>,
    job: Job | undefined,
    reason: DeadLetterReason,
    detail: string,
    apologized: boolean,
  ): Promise<void> {
    finish("dead_letter");
    const letter = {
      jobId: job?.id ?? String(bullJob.id),
      bullJobId: String(bullJob.id),
      name: bullJob.name,
      platform: job?.reply.platform ?? null,
      reason,
      detail,
      attempts: bullJob.attemptsMade + 1,
      apologized,
      at: new Date(now()).toISOString(),
    };
    deps.logger.error({ ...letter }, "job dead-lettered");
    try {
      await deps.deadLetters.record(letter);
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, "could not record the dead letter");
    }
  }

  async function deadUnreadable(
    bullJob: BullJob<unknown, Outcome, string>,
    reason: DeadLetterReason,
    detail: string,
  ): Promise<never> {
    await recordDeadLetter(bullJob, undefined, reason, detail, false);
    throw new UnrecoverableError(`${reason}: ${detail}`);
  }

  function finish(outcome: Outcome): Outcome {
    deps.metrics?.count(outcome);
    return outcome;
  }
}

function jobSchemaSafe(data: unknown): Job | undefined {
  try {
    return parseJob(data);
  } catch {
    return undefined;
  }
}
