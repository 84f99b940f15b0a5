import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The application's public key (DISCORD_PUBLIC_KEY, 64 hex characters) as a node:crypto key. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error(
      "DISCORD_PUBLIC_KEY must be the 64 hex characters shown in the Developer Portal",
    );
  }
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/** A signed request older than this is a replay (Discord sends at once and does not retry). */
export const MAX_SIGNATURE_AGE_S = 5 * 60;
/** Clocks drift; a timestamp further ahead than this was not made by Discord just now. */
export const MAX_SIGNATURE_SKEW_S = 60;

/**
 * Why a signed request's X-Signature-Timestamp is refused, or null when it is within the window:
 * a signature alone does not stop a captured request from being replayed later.
 */
export function timestampProblem(timestamp: string | undefined, nowMs = Date.now()): string | null {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return "X-Signature-Timestamp is not a number";
  const seconds = Number(timestamp);
  const now = Math.floor(nowMs / 1000);
  if (seconds < now - MAX_SIGNATURE_AGE_S)
    return "X-Signature-Timestamp is more than 5 minutes old";
  if (seconds > now + MAX_SIGNATURE_SKEW_S) return "X-Signature-Timestamp is in the future";
  return null;
}

/**
 * Discord signs timestamp + raw body with Ed25519; anything that does not verify is rejected.
 * The check runs on libuv's thread pool (node:crypto's callback form): at some 40 µs an
 * interaction it was the largest single cost on the event loop, which /healthz and every other
 * request share.
 */
export function verifyDiscordSignature(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  rawBody: Buffer,
): Promise<boolean> {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature)) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    verify(
      null,
      Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]),
      key,
      Buffer.from(signature, "hex"),
      (error, valid) => resolve(!error && valid),
    );
  });
}
