import { expect, it } from "vitest";
import {
  memberId,
  movieIdsOf,
  NO_SETTINGS,
  type TasteStore,
} from "../../../core/members/taste-store.ts";
import { describeEachEngine } from "../../support/stores.ts";

// A member's likes and settings are read on every /recommend, and the SQLite store keeps what it
// read between requests. Whatever changes them must show on the very next read: a click or a
// command through this store, or a write through another connection to the same database (a
// worker process remembering picks, an admin script, a second instance). Both engines, one
// contract.

const dana = memberId("discord", "G7", "dana");
const eli = memberId("discord", "G7", "eli");
const likes = async (store: TasteStore, member = dana) =>
  movieIdsOf(await store.entries(member), "like").sort((a, b) => a - b);

describeEachEngine("fresh reads", (on) => {
  it("shows this store's own changes on the next read", async () => {
    await on.store.addLikes(dana, [1, 2, 3]);
    expect(await likes(on.store)).toEqual([1, 2, 3]);
    expect(await on.store.settings(dana)).toEqual(NO_SETTINGS);

    await on.store.mark(dana, 4, "like", true);
    expect(await likes(on.store)).toEqual([1, 2, 3, 4]);
    await on.store.mark(dana, 1, "dislike", true);
    expect(await likes(on.store)).toEqual([2, 3, 4]);
    expect(movieIdsOf(await on.store.entries(dana), "dislike")).toEqual([1]);
    await on.store.mark(dana, 2, "like", false);
    expect(await likes(on.store)).toEqual([3, 4]);
    await on.store.addLikes(dana, [1]);
    expect(await likes(on.store)).toEqual([1, 3, 4]);

    await on.store.saveSettings(dana, { region: "CH" });
    expect(await on.store.settings(dana)).toEqual({ region: "CH", services: [] });
    await on.store.saveSettings(dana, { services: ["Netflix"] });
    expect(await on.store.settings(dana)).toEqual({ region: "CH", services: ["Netflix"] });

    // "Forget me", then a fresh start.
    await on.store.forget(dana);
    expect(await on.store.entries(dana)).toEqual([]);
    expect(await on.store.settings(dana)).toEqual(NO_SETTINGS);
    await on.store.addLikes(dana, [9]);
    expect(await likes(on.store)).toEqual([9]);
  });

  it("shows another connection's changes on the next read", async () => {
    // Read first, so whatever this store keeps is there to go stale.
    await on.store.addLikes(eli, [10, 11, 12]);
    expect(await likes(on.store, eli)).toEqual([10, 11, 12]);
    expect(await on.store.settings(eli)).toEqual(NO_SETTINGS);
    const other = await on.engine.open();
    try {
      await other.addLikes(eli, [13]);
      expect(await likes(on.store, eli)).toEqual([10, 11, 12, 13]);
      await other.mark(eli, 10, "dislike", true);
      expect(await likes(on.store, eli)).toEqual([11, 12, 13]);
      await other.saveSettings(eli, { region: "US", services: ["Hulu"] });
      expect(await on.store.settings(eli)).toEqual({ region: "US", services: ["Hulu"] });

      await other.forget(eli);
      expect(await on.store.entries(eli)).toEqual([]);
      expect(await on.store.settings(eli)).toEqual(NO_SETTINGS);

      await other.addLikes(eli, [14]);
      expect(await likes(on.store, eli)).toEqual([14]);
      await other.forgetWorkspace("discord", "G7");
      expect(await on.store.entries(eli)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("hands out answers a caller can change without changing the next one", async () => {
    const fay = memberId("slack", "T7", "fay");
    await on.store.addLikes(fay, [20, 21]);
    await on.store.saveSettings(fay, { region: "DE", services: ["Max"] });
    const entries = await on.store.entries(fay);
    entries.pop();
    for (const entry of entries) entry.movieId = 0;
    const settings = await on.store.settings(fay);
    settings.services.push("Netflix");
    settings.region = "FR";
    expect(await likes(on.store, fay)).toEqual([20, 21]);
    expect(await on.store.settings(fay)).toEqual({ region: "DE", services: ["Max"] });
  });
});
