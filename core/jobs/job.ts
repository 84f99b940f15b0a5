import type { CardSet } from "../cards/card.ts";
import type { TitleMatch } from "../cards/card-service.ts";
import type { RecommendRequest } from "../requests/recommend-request.ts";

/**
 * Slow work (a recommendation that may not fit the 3-second window of Slack and Discord) travels
 * as a Job: plain JSON, no closures and no secrets, so it can sit in Redis and be run by any worker.
 */
export type JobName = "recommend" | "popular";

/** Where the answer goes. Tokens here are per-interaction, short-lived URLs/tokens, not bot secrets. */
export type ReplyTarget =
  | {
      platform: "slack";
      /** Slack's response_url: valid 30 minutes, 5 uses. */
      responseUrl: string;
      responseType: "ephemeral" | "in_channel";
      replaceOriginal: boolean;
    }
  | {
      platform: "discord";
      applicationId: string;
      /** Interaction token: valid 15 minutes. */
      interactionToken: string;
      /** Show results only to the user who asked. */
      ephemeral: boolean;
    };

/** What a job computes: the one request model (core/requests/recommend-request.ts). */
export type JobRequest = RecommendRequest;

export interface Job {
  /** Derived from the interaction (Slack trigger_id / request hash, Discord interaction id): the same interaction never runs twice. */
  id: string;
  request: JobRequest;
  reply: ReplyTarget;
  /** Epoch ms the interaction arrived; with the platform's token lifetime it says when retrying is pointless. */
  receivedAt: number;
}

/** What a job computed: the cards, plus the typed titles that matched nothing. */
export interface JobResult extends CardSet {
  unresolved: string[];
  /** What each typed title matched ("toy stroy → Toy Story"), and the candidates of weak ones. */
  matches?: TitleMatch[];
  request: JobRequest;
}

/** Port: runs jobs somewhere (in-process, or a BullMQ worker) and makes sure each is handled once. */
export interface JobQueue {
  submit(job: Job): Promise<void>;
  close(): Promise<void>;
}

/** Port: sends a job's result, or an apology, to the chat platform named by the target. */
export interface ReplyDeliverer<T extends ReplyTarget = ReplyTarget> {
  deliver(target: T, result: JobResult): Promise<void>;
  apologize(target: T, message: string): Promise<void>;
}
