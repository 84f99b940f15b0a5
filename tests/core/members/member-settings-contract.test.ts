import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberId, NO_SETTINGS, type TasteStore } from "../../../core/members/taste-store.ts";
import { postgresUnavailable } from "../../support/postgres-db.ts";
import { type EngineUnderTest, postgresEngine, sqliteEngine } from "../../support/stores.ts";

// Region and services per member, the same on both engines.
const pgDown = await postgresUnavailable();
const engines: [string, () => Promise<EngineUnderTest>, string | null][] = [
  ["sqlite", sqliteEngine, null],
  ["postgres", postgresEngine, pgDown],
];

const alice = memberId("slack", "T1", "U1");
const aliceElsewhere = memberId("discord", "G1", "U1");

for (const [name, makeEngine, skipReason] of engines) {
  const suite = skipReason ? describe.skip : describe;
  suite(`member settings on ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let engine: EngineUnderTest;
    let store: TasteStore;

    beforeAll(async () => {
      engine = await makeEngine();
      store = await engine.open();
    });
    afterAll(async () => {
      await store?.close();
      await engine?.dispose();
    });

    it("has no settings for a member who set none", async () => {
      expect(await store.settings(memberId("slack", "T9", "nobody"))).toEqual(NO_SETTINGS);
    });

    it("stores the region and the services, each change keeping the other", async () => {
      expect(await store.saveSettings(alice, { region: "CH" })).toEqual({
        region: "CH",
        services: [],
      });
      expect(await store.saveSettings(alice, { services: ["Netflix", "Disney Plus"] })).toEqual({
        region: "CH",
        services: ["Netflix", "Disney Plus"],
      });
      expect(await store.settings(alice)).toEqual({
        region: "CH",
        services: ["Netflix", "Disney Plus"],
      });
      // One row per member, however often it changes.
      await store.saveSettings(alice, { region: "DE" });
      expect(await engine.count("SELECT COUNT(*) AS count FROM member_settings")).toBe(1);
      expect((await store.settings(alice)).region).toBe("DE");
      // The same user id on another platform is another member.
      expect(await store.settings(aliceElsewhere)).toEqual(NO_SETTINGS);
    });

    it("keeps both of two saves made at once", async () => {
      const bob = memberId("slack", "T1", "U2");
      await Promise.all([
        store.saveSettings(bob, { region: "BR" }),
        store.saveSettings(bob, { services: ["Max"] }),
      ]);
      expect(await store.settings(bob)).toEqual({ region: "BR", services: ["Max"] });
    });

    it("forgets the settings with the member", async () => {
      await store.forget(alice);
      expect(await store.settings(alice)).toEqual(NO_SETTINGS);
    });
  });
}
