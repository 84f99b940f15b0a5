import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blocksOf, buttons, cardIds, carouselCards } from "./support/blocks-of.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import { sendCommand } from "./support/signed-requests.ts";

describe("/recommend, signed and posted as Slack does", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("answers an empty command with the ephemeral picker", async () => {
    const res = await sendCommand(h.url, "", h.slack.responseUrl("picker"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.response_type).toBe("ephemeral");
    const picker = blocksOf(body).find((b) => b.accessory?.type === "multi_external_select");
    expect(picker?.accessory).toMatchObject({
      action_id: "pick_movies",
      min_query_length: 1,
      placeholder: { type: "plain_text", text: "Pick movies you like" },
    });
    expect(buttons(body).map((b) => b.text.text)).toEqual(["Recommend", "Popular picks"]);
    expect(h.submitted).toHaveLength(0);
  });

  it("answers help with the usage", async () => {
    const res = await sendCommand(h.url, "help", h.slack.responseUrl("help"));
    const body = (await res.json()) as { text: string; response_type: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("/recommend popular");
    expect(body.text).toContain("/recommend Toy Story, Heat 1995");
  });

  it("turns typed titles into poster cards at response_url and names what it could not find", async () => {
    const res = await sendCommand(
      h.url,
      "Toy Story, Heat 1995;Qwxyzzy Film",
      h.slack.responseUrl("titles"),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { text: string }).text).toContain("Looking for movies like");
    const [reply] = await h.slack.waitForReplies("titles");
    if (!reply) throw new Error("no reply");
    expect(h.recommender.calls.at(-1)?.liked).toEqual([1, 6]);
    expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(reply.text).toContain("couldn't find Qwxyzzy Film");
    const blocks = blocksOf(reply);
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "Movies you might like" } });
    expect(blocks.some((b) => b.text?.text.includes("Couldn't find “Qwxyzzy Film”"))).toBe(true);
    const ids = cardIds(reply);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(1);
    // With posters, the cards come as one carousel: poster on top, title, why, buttons.
    expect(blocks.filter((b) => b.type === "carousel")).toHaveLength(1);
    const first = carouselCards(reply)[0];
    expect(first?.title?.text).toMatch(/^.+ \(\d{4}\)$/);
    expect(first?.body?.text).toContain("Because you liked");
    expect(first?.hero_image).toMatchObject({
      type: "image",
      alt_text: expect.stringContaining("Poster of"),
    });
    const more = buttons(reply).filter((b) => b.action_id === "more_like_this");
    expect(more.map((b) => Number(b.value))).toEqual(ids);
    const share = buttons(reply).find((b) => b.action_id === "share_to_channel");
    // Only the short id the shown cards are kept under: never the request, never a token.
    expect(share?.value).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("posts /recommend popular to the whole channel", async () => {
    const res = await sendCommand(h.url, "popular", h.slack.responseUrl("popular"));
    expect(res.status).toBe(200);
    const [reply] = await h.slack.waitForReplies("popular");
    if (!reply) throw new Error("no reply");
    expect(reply.response_type).toBe("in_channel");
    expect(blocksOf(reply)[0]).toMatchObject({ type: "header", text: { text: "Popular picks" } });
    expect(cardIds(reply)).toEqual([2571, 6365, 6934, 6, 1]);
    expect(buttons(reply).some((b) => b.action_id === "share_to_channel")).toBe(false);
  });

  it("falls back to popular picks, naming every title it could not resolve", async () => {
    await sendCommand(h.url, "Qwxyzzy; Blorfnax", h.slack.responseUrl("unresolvable"));
    const [reply] = await h.slack.waitForReplies("unresolvable");
    if (!reply) throw new Error("no reply");
    const notes = blocksOf(reply)[1]?.text?.text ?? "";
    expect(notes).toContain("Couldn't find “Qwxyzzy”, “Blorfnax”.");
    expect(notes).toContain("here is what is popular");
  });

  it("answers 4000 characters of input with a clear limit, searching nothing", async () => {
    const before = h.submitted.length;
    const res = await sendCommand(
      h.url,
      "Heat, ".repeat(667).slice(0, 4000),
      h.slack.responseUrl("long"),
    );
    const body = (await res.json()) as { text: string; response_type: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("4000 characters");
    expect(body.text).toContain("under 1000");
    expect(h.submitted.length).toBe(before);
  });

  it("caps the number of titles at 25", async () => {
    const titles = Array.from({ length: 26 }, (_, i) => `Star Voyage ${i + 1}`).join(", ");
    const res = await sendCommand(h.url, titles, h.slack.responseUrl("many"));
    expect(((await res.json()) as { text: string }).text).toContain("at most 25");
  });
});
