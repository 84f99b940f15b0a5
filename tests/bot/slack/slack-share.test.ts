import { expect, it } from "vitest";
import { isShareId } from "../../../core/cards/shared-cards-store.ts";
import { FakeWatch } from "../../support/fake-watch.ts";
import {
  describeEachSharedStore,
  type SharedStoreKind,
} from "../../support/shared-cards-stores.ts";
import { blocksOf, buttons, cardIds, carouselCards, only } from "./support/blocks-of.ts";
import { startHarness } from "./support/harness.ts";
import { buttonClick, sendCommand, sendPayload } from "./support/signed-requests.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function shareTests(kind: SharedStoreKind) {
  it("posts for everyone exactly the cards the member saw, without running the request again", async () => {
    const watch = new FakeWatch();
    const h = await startHarness({ watch, shared: kind.make(60_000) });
    try {
      await sendCommand(h.url, "Toy Story, Heat 1995", h.slack.responseUrl("mine"));
      const [mine] = await h.slack.waitForReplies("mine");
      if (!mine) throw new Error("no private reply");
      expect(mine.response_type).toBe("ephemeral");
      const share = only(buttons(mine).filter((b) => b.action_id === "share_to_channel"));
      expect(isShareId(share.value)).toBe(true);
      const computed = { recommends: h.recommender.calls.length, lookups: watch.regions.length };

      await sendPayload(
        h.url,
        buttonClick("share_to_channel", share.value, h.slack.responseUrl("shared"), [], "share"),
      );
      const [shared] = await h.slack.waitForReplies("shared");
      if (!shared) throw new Error("no shared reply");
      expect(shared).toMatchObject({ response_type: "in_channel", replace_original: false });
      expect(blocksOf(shared)[0]?.text?.text).toBe("<@U1> shared these picks:");
      // The same cards, with the same reasons, providers and trailers the member saw.
      expect(cardIds(shared)).toEqual(cardIds(mine));
      const faces = (m: Record<string, unknown>) =>
        carouselCards(m).map((c) => ({ title: c.title?.text, body: c.body?.text }));
      expect(faces(shared)).toEqual(faces(mine));
      expect(faces(shared).every((f) => f.body?.includes("Because you liked"))).toBe(true);
      expect(JSON.stringify(shared)).toContain("Hulu");
      const trailers = (m: Record<string, unknown>) =>
        buttons(m)
          .filter((b) => b.action_id === "open_trailer")
          .map((b) => b.url);
      expect(trailers(shared)).toEqual(trailers(mine));
      expect(trailers(shared).length).toBeGreaterThan(0);
      // Nothing was computed again, and the channel's copy has no Share button of its own.
      expect(h.recommender.calls.length).toBe(computed.recommends);
      expect(watch.regions.length).toBe(computed.lookups);
      expect(buttons(shared).some((b) => b.action_id === "share_to_channel")).toBe(false);
    } finally {
      await h.close();
    }
  });

  it("tells the member, privately, when the share has expired", async () => {
    const h = await startHarness({ shared: kind.make(150) });
    try {
      await sendCommand(h.url, "Toy Story", h.slack.responseUrl("late"));
      const [mine] = await h.slack.waitForReplies("late");
      const share = only(buttons(mine ?? {}).filter((b) => b.action_id === "share_to_channel"));
      await sleep(400);
      await sendPayload(
        h.url,
        buttonClick("share_to_channel", share.value, h.slack.responseUrl("expired"), [], "share"),
      );
      const [reply] = await h.slack.waitForReplies("expired");
      expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(reply?.text).toBe("This share has expired — run /recommend again.");
    } finally {
      await h.close();
    }
  });
}

describeEachSharedStore("Share to channel on Slack", shareTests);
