import { randomFillSync } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Card } from "./card.ts";

/**
 * Port: the cards a member was shown privately, kept under a short id until they press "Share to
 * channel" or the time limit passes. The Share button carries only the id (Discord's custom_id
 * holds 100 characters, far from 25 cards), and Share posts exactly these cards on Slack and on
 * Discord: never a second run of the request, never cards rebuilt from what a message showed.
 */
export interface SharedCardsStore {
  /** Keeps the cards; the id it answers goes in the Share button. */
  keep(cards: readonly Card[]): Promise<string>;
  /** The cards kept under `id`; null when the id is unknown, malformed or expired. */
  find(id: string): Promise<Card[] | null>;
}

const ID_BYTES = 12;
/**
 * Random bytes drawn 256 ids at a time, each id's bytes used once: one call into the CSPRNG per
 * 256 results instead of one per result (as node:crypto's randomUUID keeps its own pool).
 */
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolAt = idPool.length;

/** 96 random bits as 16 base64url characters: unguessable, and short enough for any button. */
export function newShareId(): string {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const start = idPoolAt;
  idPoolAt += ID_BYTES;
  return idPool.toString("base64url", start, idPoolAt);
}

export function isShareId(value: string): boolean {
  return /^[A-Za-z0-9_-]{16}$/.test(value);
}

/**
 * The store without Redis: this process's memory, each set dropped after `ttlMs`, and at most
 * `maxSets` kept (the oldest go first) so results nobody shares cannot grow the heap unbounded.
 * Without Redis the jobs run in this process too, so the button and the click meet here.
 *
 * Sets are kept as JSON text, as Redis keeps them: one string per set, where a copy as objects
 * was a hundred that outlived the young generation, for the garbage collector to copy into the
 * old one (every private result keeps one; few are ever shared). Each find parses a fresh copy.
 */
export class MemorySharedCardsStore implements SharedCardsStore {
  private readonly sets: LRUCache<string, string>;

  constructor(options: { ttlMs: number; maxSets?: number }) {
    this.sets = new LRUCache({ max: options.maxSets ?? 2000, ttl: options.ttlMs });
  }

  async keep(cards: readonly Card[]): Promise<string> {
    const id = newShareId();
    this.sets.set(id, JSON.stringify(cards));
    return id;
  }

  async find(id: string): Promise<Card[] | null> {
    if (!isShareId(id)) return null;
    const cards = this.sets.get(id);
    return cards === undefined ? null : (JSON.parse(cards) as Card[]);
  }
}
