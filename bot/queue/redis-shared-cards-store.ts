import type { Redis } from "ioredis";
import type { Card } from "../../core/cards/card.ts";
import {
  isShareId,
  newShareId,
  type SharedCardsStore,
} from "../../core/cards/shared-cards-store.ts";

/**
 * SharedCardsStore on Redis (REDIS_URL): the worker that delivered the private result keeps its
 * cards, and whichever bot instance receives the Share click finds them. Each set expires with
 * Redis's own TTL. Errors are thrown: the caller leaves the Share button out, or apologises.
 */
export class RedisSharedCardsStore implements SharedCardsStore {
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(options: { redis: Redis; ttlMs: number; keyPrefix?: string }) {
    this.redis = options.redis;
    this.ttlMs = Math.max(1, Math.round(options.ttlMs));
    this.prefix = options.keyPrefix ?? "moviebot:shared";
  }

  async keep(cards: readonly Card[]): Promise<string> {
    const id = newShareId();
    await this.redis.set(this.key(id), JSON.stringify(cards), "PX", this.ttlMs);
    return id;
  }

  async find(id: string): Promise<Card[] | null> {
    // The id comes from a button anyone could forge: only ids this store could have made are keys.
    if (!isShareId(id)) return null;
    const value = await this.redis.get(this.key(id));
    if (value === null) return null;
    const cards: unknown = JSON.parse(value);
    return Array.isArray(cards) && cards.every(isCardLike) ? (cards as Card[]) : null;
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }
}

/** What the renderers rely on; anything else in Redis under our prefix is not a card set of ours. */
function isCardLike(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const card = value as Partial<Card>;
  return (
    typeof card.movieId === "number" &&
    typeof card.title === "string" &&
    Array.isArray(card.genres) &&
    typeof card.reason === "string"
  );
}
