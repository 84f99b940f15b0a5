import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Router } from "express";
import pino from "pino";

export const silentLogger = pino({ level: "silent" });

/** A Discord application's key pair; the public half as the Developer Portal shows it (hex). */
export function applicationKeys(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { publicKeyHex: Buffer.from(jwk.x as string, "base64url").toString("hex"), privateKey };
}

/** Headers exactly as Discord sends them: Ed25519 over timestamp + body, hex encoded. */
export function signedHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return {
    "content-type": "application/json",
    "x-signature-ed25519": signature,
    "x-signature-timestamp": timestamp,
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** An express app with just this router, on an ephemeral port. */
export async function serveRouter(router: Router): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(router);
  const server = createServer(app);
  return { url: await listen(server), server };
}

export interface CapturedRequest {
  method: string;
  /** Decoded path: "/api/v10/webhooks/…/messages/@original". */
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

type Responder = (req: CapturedRequest, res: ServerResponse) => void;

/** A local stand-in for Discord's REST API: records every request, answers 200 {} unless told. */
export class RestStandIn {
  readonly requests: CapturedRequest[] = [];
  responder: Responder = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  };
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const captured: CapturedRequest = {
        method: req.method ?? "",
        path: decodeURIComponent(req.url ?? ""),
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      };
      this.requests.push(captured);
      this.waiters = this.waiters.filter((w) => !w(captured));
      this.responder(captured, res);
    });
  });
  private waiters: ((req: CapturedRequest) => boolean)[] = [];
  url = "";

  async start(): Promise<string> {
    this.url = `${await listen(this.server)}/api`;
    return this.url;
  }

  /** Resolves with the first request (already received or future) matching the predicate. */
  next(predicate: (req: CapturedRequest) => boolean): Promise<CapturedRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      this.waiters.push((req) => {
        if (!predicate(req)) return false;
        resolve(req);
        return true;
      });
    });
  }

  stop(): Promise<void> {
    return close(this.server);
  }
}
