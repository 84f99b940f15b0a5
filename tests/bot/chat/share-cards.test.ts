import pino from "pino";
import { describe, expect, it } from "vitest";
import { sharedCards, shareIdFor } from "../../../bot/chat/share-cards.ts";
import type { Card } from "../../../core/cards/card.ts";
import {
  MemorySharedCardsStore,
  type SharedCardsStore,
} from "../../../core/cards/shared-cards-store.ts";
import { cardFixture } from "../../support/cards.ts";

const logger = pino({ level: "silent" });

/** A store whose Redis is down: every call fails. */
class DownStore implements SharedCardsStore {
  async keep(): Promise<string> {
    throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
  }
  async find(): Promise<Card[] | null> {
    throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
  }
}

describe("sharing the cards a member saw", () => {
  it("keeps the films for the channel, but not the asker's own 👍 / 👎 marks", async () => {
    const store = new MemorySharedCardsStore({ ttlMs: 60_000 });
    const liked = cardFixture(1, {
      taste: { like: true, dislike: false, seen: true, watchlist: false },
    });
    const id = await shareIdFor({ store, logger }, [liked, cardFixture(2)]);
    const found = await sharedCards({ store, logger }, id ?? "");
    expect(found.kind).toBe("found");
    if (found.kind !== "found") return;
    expect(found.cards.map((c) => c.movieId)).toEqual([1, 2]);
    expect(found.cards.every((c) => c.taste === undefined)).toBe(true);
    expect(found.cards[0]?.reason).toBe(liked.reason);
  });

  it("leaves the Share button out when there is nothing to share or nowhere to keep it", async () => {
    const store = new MemorySharedCardsStore({ ttlMs: 60_000 });
    expect(await shareIdFor({ store, logger }, [])).toBeNull();
    expect(await shareIdFor(undefined, [cardFixture(1)])).toBeNull();
    expect(await shareIdFor({ store: new DownStore(), logger }, [cardFixture(1)])).toBeNull();
  });

  it("answers a click with a clear message when the store cannot be read", async () => {
    expect(await sharedCards({ store: new DownStore(), logger }, "AAAAAAAAAAAAAAAA")).toEqual({
      kind: "gone",
      message: "Sorry, I couldn't share those just now. Please try again in a moment.",
    });
  });
});
