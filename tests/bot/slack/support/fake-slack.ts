import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  /** JSON bodies parsed; form bodies (Web API calls) as an object of fields. */
  body: Record<string, unknown>;
}

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Stands in for slack.com: the Web API under /api/ (auth.test, chat.postMessage) and
 * response_urls under /respond/<name>, recording every request for the test to inspect.
 */
export class FakeSlack {
  readonly received: Received[] = [];
  private server: Server | undefined;
  private readonly scripted = new Map<string, Scripted[]>();
  private waiters: Array<() => void> = [];
  private posted = 0;
  url = "";

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const type = req.headers["content-type"] ?? "";
      const body = type.includes("json")
        ? (JSON.parse(raw) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(raw));
      this.received.push({ path, headers: req.headers, body });
      for (const wake of this.waiters.splice(0)) wake();
      const next = this.scripted.get(path)?.shift();
      if (next) {
        res.writeHead(next.status, next.headers ?? {}).end(next.body ?? "");
        return;
      }
      if (path === "/api/auth.test") {
        return json(res, { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" });
      }
      if (path === "/api/chat.postMessage") {
        // Like Slack: the new message's ts, which chat.update needs to edit it later.
        this.posted++;
        return json(res, {
          ok: true,
          channel: body.channel,
          ts: `1700000000.${String(this.posted).padStart(6, "0")}`,
        });
      }
      if (path.startsWith("/api/")) return json(res, { ok: true });
      if (path.startsWith("/respond/")) return json(res, { ok: true });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next request to `path` gets this answer instead of 200. */
  script(path: string, answer: Scripted): void {
    const list = this.scripted.get(path) ?? [];
    list.push(answer);
    this.scripted.set(path, list);
  }

  /** Web API calls to one method (chat.postMessage, chat.update …), oldest first. */
  calls(method: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.path === `/api/${method}`).map((r) => r.body);
  }

  responseUrl(name: string): string {
    return `${this.url}/respond/${name}`;
  }

  repliesTo(name: string): Record<string, unknown>[] {
    return this.received.filter((r) => r.path === `/respond/${name}`).map((r) => r.body);
  }

  /** Waits until `count` replies reached response_url `name`. */
  async waitForReplies(
    name: string,
    count = 1,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.repliesTo(name).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`expected ${count} replies at ${name}, got ${this.repliesTo(name).length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.repliesTo(name);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function json(res: import("node:http").ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}
