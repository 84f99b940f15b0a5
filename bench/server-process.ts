import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** A port the OS says is free now; the server binds it a moment later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}

/**
 * The real server, as `npm start` runs it (`node bot/main.ts`, spawned without npm in between so
 * the pid is the server's own and /proc gives its memory).
 */
export class ServerProcess {
  readonly baseUrl: string;
  private readonly child: ChildProcess;
  private output = "";
  private exited = false;
  private readonly watchers = new Set<() => void>();

  private constructor(child: ChildProcess, port: number) {
    this.child = child;
    this.baseUrl = `http://127.0.0.1:${port}`;
    child.stdout?.on("data", (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.keep(chunk));
    child.on("exit", () => {
      this.exited = true;
      for (const check of [...this.watchers]) check();
    });
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ["bot/main.ts"], {
      cwd: ROOT,
      // Only what the server needs: inherited settings (REDIS_URL, tokens) would change what is measured.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        LOG_LEVEL: "warn",
        // The load generator is one client: the per-client limit would measure itself.
        RATE_LIMIT_PER_MINUTE: "0",
        // A member database of its own: members left in the checkout's data/ would be folded into
        // the recommender at start-up and change what is measured.
        DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-bench-data-")),
        ...env,
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new ServerProcess(child, port);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Polls /healthz until 200; resolves with the time since `since`, in seconds. */
  async ready(since: number, timeoutMs: number): Promise<number> {
    while (performance.now() - since < timeoutMs) {
      if (this.exited) throw new Error(`the server exited before it was ready:\n${this.output}`);
      try {
        const response = await fetch(`${this.baseUrl}/healthz`);
        await response.arrayBuffer();
        if (response.status === 200) return (performance.now() - since) / 1000;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, "exit");
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exit;
    clearTimeout(timer);
  }

  /**
   * Resolves once the server's output (its log, at the LOG_LEVEL it was started with) holds
   * `text`, with the seconds since `since`; rejects after `timeoutMs` or if the server exits.
   */
  logged(text: string, since: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.output.includes(text))
          return done(() => resolve((performance.now() - since) / 1000));
        if (this.exited) return done(() => reject(new Error(`the server exited:\n${this.output}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no "${text}" within ${timeoutMs / 1000} s`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.watchers.delete(check);
        settle();
      };
      this.watchers.add(check);
      check();
    });
  }

  private keep(chunk: Buffer): void {
    // The last few kB are enough to say why a start failed, and hold a line being waited for.
    this.output = (this.output + chunk.toString()).slice(-4000);
    for (const check of [...this.watchers]) check();
  }
}
