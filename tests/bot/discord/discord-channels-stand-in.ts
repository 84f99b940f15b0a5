import type { ServerResponse } from "node:http";
import { type CapturedRequest, RestStandIn } from "./support.ts";

export interface StoredMessage {
  id: string;
  channel: string;
  body: Record<string, unknown>;
  edits: Record<string, unknown>[];
}

interface PollBody {
  question: { text: string };
  answers: { poll_media: { text: string } }[];
  duration: number;
  allow_multiselect: boolean;
  layout_type: number;
}

/** A refusal as Discord answers it: status, JSON error code and message. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
}

export const MISSING_PERMISSIONS: Refusal = {
  status: 403,
  code: 50013,
  message: "Missing Permissions",
};
export const MISSING_ACCESS: Refusal = { status: 403, code: 50001, message: "Missing Access" };

/**
 * Discord's channel and poll routes, played locally: messages are stored with ids, polls hold
 * votes set by the test (per answer, as Discord's users would cast them), End Poll ends them,
 * reading a message gives poll.results, and the voters route pages by 100 as Discord's does.
 */
export class DiscordChannelsStandIn extends RestStandIn {
  readonly messages = new Map<string, StoredMessage>();
  /** Voters per poll message and answer_id. */
  readonly votes = new Map<string, Map<number, string[]>>();
  readonly ended = new Set<string>();
  /** Whether GET message reports a finalised count (Discord finalises shortly after the end). */
  finalized = true;
  /** A refusal for a request, or null to serve it. */
  refuse: (req: CapturedRequest) => Refusal | null = () => null;
  private nextId = 1_000_000_000_000_000_000n;

  constructor() {
    super();
    this.responder = (req, res) => this.serve(req, res);
  }

  /** Messages posted to a channel (not DMs, not webhook edits), in order. */
  posted(channel?: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => !channel || m.channel === channel);
  }

  polls(): StoredMessage[] {
    return this.posted().filter((m) => m.body.poll);
  }

  /** Sets the votes of a poll's answer (1-based, as Discord numbers them). */
  vote(pollId: string, answerId: number, voters: string[]): void {
    const byAnswer = this.votes.get(pollId) ?? new Map<number, string[]>();
    byAnswer.set(answerId, voters);
    this.votes.set(pollId, byAnswer);
  }

  /** Requests to a path that ends with `suffix` (after the /api/v10 prefix). */
  to(method: string, pattern: RegExp): CapturedRequest[] {
    return this.requests.filter((r) => r.method === method && pattern.test(r.path));
  }

  private serve(req: CapturedRequest, res: ServerResponse): void {
    const refusal = this.refuse(req);
    if (refusal) {
      json(res, refusal.status, { code: refusal.code, message: refusal.message });
      return;
    }
    const [status, body] = this.answer(req);
    json(res, status, body);
  }

  private answer(req: CapturedRequest): [number, unknown] {
    const path = req.path.replace(/^\/api\/v10/, "").split("?")[0] ?? "";
    const route = (method: string | null, pattern: RegExp) =>
      method === null || req.method === method ? pattern.exec(path) : null;
    const posted = route("POST", /^\/channels\/(\d+|dm-\d+)\/messages$/);
    if (posted) {
      const id = String(this.nextId++);
      const message = {
        id,
        channel: posted[1] as string,
        body: req.body as Record<string, unknown>,
        edits: [],
      };
      this.messages.set(id, message);
      return [200, this.render(message)];
    }
    const one = route(null, /^\/channels\/[^/]+\/messages\/(\d+)$/);
    if (one) {
      const message = this.messages.get(one[1] as string);
      if (!message) return [404, { code: 10008, message: "Unknown Message" }];
      if (req.method === "PATCH") message.edits.push(req.body as Record<string, unknown>);
      return [200, this.render(message)];
    }
    const expire = route("POST", /^\/channels\/[^/]+\/polls\/(\d+)\/expire$/);
    if (expire) {
      const id = expire[1] as string;
      if (this.ended.has(id)) return [400, { code: 520001, message: "Poll expired" }];
      this.ended.add(id);
      const message = this.messages.get(id);
      return [200, message ? this.render(message) : {}];
    }
    const voters = route("GET", /^\/channels\/[^/]+\/polls\/(\d+)\/answers\/(\d+)$/);
    if (voters) {
      const query = new URLSearchParams(req.path.split("?")[1] ?? "");
      const limit = Number(query.get("limit") ?? 25);
      const after = query.get("after");
      const all = [...(this.votes.get(voters[1] as string)?.get(Number(voters[2])) ?? [])].sort();
      const page = all.filter((id) => !after || id > after).slice(0, limit);
      return [200, { users: page.map((id) => ({ id, username: `u${id}` })) }];
    }
    if (req.method === "POST" && path === "/users/@me/channels") {
      return [200, { id: `dm-${(req.body as { recipient_id: string }).recipient_id}`, type: 1 }];
    }
    return [200, {}];
  }

  private render(message: StoredMessage): Record<string, unknown> {
    const poll = message.body.poll as PollBody | undefined;
    const base = { id: message.id, channel_id: message.channel, ...message.body };
    if (!poll) return base;
    const votes = this.votes.get(message.id) ?? new Map<number, string[]>();
    return {
      ...base,
      poll: {
        question: poll.question,
        answers: poll.answers.map((a, i) => ({ answer_id: i + 1, poll_media: a.poll_media })),
        expiry: new Date(Date.now() + poll.duration * 3_600_000).toISOString(),
        allow_multiselect: poll.allow_multiselect,
        layout_type: poll.layout_type,
        results: {
          is_finalized: this.finalized && this.ended.has(message.id),
          // Before Discord finalises, its counts may lag: one vote short here.
          answer_counts: [...votes.entries()].map(([id, voters]) => ({
            id,
            count:
              this.finalized && this.ended.has(message.id)
                ? voters.length
                : Math.max(0, voters.length - 1),
            me_voted: false,
          })),
        },
      },
    };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
