import { expect, it } from "vitest";
import { FakeWatch } from "../../support/fake-watch.ts";
import {
  describeEachSharedStore,
  type SharedStoreKind,
} from "../../support/shared-cards-stores.ts";
import { customIds, EPHEMERAL, type ResponseBody, startEndpoint } from "./http-harness.ts";
import * as payload from "./interactions.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Data = NonNullable<ResponseBody["data"]>;
const shareButton = (data: Data | undefined) =>
  customIds({ type: 4, data }).find((id) => id.startsWith("share:")) ?? "";
const trailers = (data: Data | undefined) =>
  (data?.components ?? []).flatMap((row) =>
    row.components.flatMap((c) => ("url" in c && c.url ? [c.url] : [])),
  );

function shareTests(kind: SharedStoreKind) {
  /** Share clicked on `mine`: the kept cards, for everyone, with nothing computed again. */
  async function expectSharedAsSeen(h: Awaited<ReturnType<typeof startEndpoint>>, mine?: Data) {
    const customId = shareButton(mine);
    expect(customId).toMatch(/^share:[A-Za-z0-9_-]{16}$/);
    const computed = h.recommender.calls.length;
    // The click carries no embeds: the cards come from the store, not from the message.
    const { body } = await h.post(payload.button(customId, []));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBeUndefined();
    expect(body.data?.content).toBe("<@444444444444444444> shared these picks:");
    // Exactly the embeds the member saw: titles, links, reasons, posters, where to watch.
    expect(body.data?.embeds).toEqual(mine?.embeds);
    expect(body.data?.embeds?.[0]?.fields?.some((f) => f.value.includes("Hulu"))).toBe(true);
    expect(trailers(body.data)).toEqual(trailers(mine).filter((u) => u.includes("youtube")));
    expect(trailers(body.data).length).toBeGreaterThan(0);
    expect(shareButton(body.data)).toBe("");
    expect(h.recommender.calls.length).toBe(computed);
  }

  it("posts the cards of an inline answer exactly as the member saw them", async () => {
    const h = await startEndpoint({ watch: new FakeWatch(), shared: kind.make(60_000) });
    try {
      const { body } = await h.post(payload.command("recommend", { movie1: "2571" }));
      expect(body.data?.flags).toBe(EPHEMERAL);
      await expectSharedAsSeen(h, body.data);
    } finally {
      await h.stop();
    }
  });

  it("posts the cards of a deferred answer, kept by the deliverer that edited it", async () => {
    const h = await startEndpoint({ watch: new FakeWatch(), shared: kind.make(60_000) });
    try {
      h.recommender.hold();
      const { body } = await h.post(payload.command("recommend", { movie1: "6" }));
      expect(body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
      h.recommender.release();
      const patch = await h.rest.next((r) => r.method === "PATCH");
      await expectSharedAsSeen(h, patch.body as Data);
    } finally {
      await h.stop();
    }
  });

  it("tells the member, privately, when the share has expired or is unknown", async () => {
    const h = await startEndpoint({ shared: kind.make(150) });
    try {
      const { body } = await h.post(payload.command("recommend", { movie1: "2571" }));
      const customId = shareButton(body.data);
      await sleep(400);
      for (const id of [customId, "share:AAAAAAAAAAAAAAAA", "share:2571,858"]) {
        const late = await h.post(payload.button(id));
        expect(late.body.data?.flags).toBe(EPHEMERAL);
        expect(late.body.data?.content).toBe("This share has expired — run /recommend again.");
      }
    } finally {
      await h.stop();
    }
  });
}

describeEachSharedStore("Share to channel on Discord", shareTests);
