import { expect, it } from "vitest";
import { memberId, NO_SETTINGS } from "../../../core/members/taste-store.ts";
import { describeEachEngine } from "../../support/stores.ts";

// Region and services per member, the same on both engines.

const alice = memberId("slack", "T1", "U1");
const aliceElsewhere = memberId("discord", "G1", "U1");

describeEachEngine("member settings", (on) => {
  it("has no settings for a member who set none", async () => {
    expect(await on.store.settings(memberId("slack", "T9", "nobody"))).toEqual(NO_SETTINGS);
  });

  it("stores the region and the services, each change keeping the other", async () => {
    expect(await on.store.saveSettings(alice, { region: "CH" })).toEqual({
      region: "CH",
      services: [],
    });
    expect(await on.store.saveSettings(alice, { services: ["Netflix", "Disney Plus"] })).toEqual({
      region: "CH",
      services: ["Netflix", "Disney Plus"],
    });
    expect(await on.store.settings(alice)).toEqual({
      region: "CH",
      services: ["Netflix", "Disney Plus"],
    });
    // One row per member, however often it changes.
    await on.store.saveSettings(alice, { region: "DE" });
    expect(await on.engine.count("SELECT COUNT(*) AS count FROM member_settings")).toBe(1);
    expect((await on.store.settings(alice)).region).toBe("DE");
    // The same user id on another platform is another member.
    expect(await on.store.settings(aliceElsewhere)).toEqual(NO_SETTINGS);
  });

  it("keeps both of two saves made at once", async () => {
    const bob = memberId("slack", "T1", "U2");
    await Promise.all([
      on.store.saveSettings(bob, { region: "BR" }),
      on.store.saveSettings(bob, { services: ["Max"] }),
    ]);
    expect(await on.store.settings(bob)).toEqual({ region: "BR", services: ["Max"] });
  });

  it("forgets the settings with the member", async () => {
    await on.store.forget(alice);
    expect(await on.store.settings(alice)).toEqual(NO_SETTINGS);
  });
});
