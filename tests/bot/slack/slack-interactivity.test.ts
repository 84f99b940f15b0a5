import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSearch } from "../../support/fakes.ts";
import { blocksOf, buttons, cardIds, carouselCards, only } from "./support/blocks-of.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import {
  blockSuggestion,
  buttonClick,
  sendCommand,
  sendPayload,
} from "./support/signed-requests.ts";

type Options = { options: Array<{ text: { type: string; text: string }; value: string }> };

describe("picker options (block_suggestion)", () => {
  it("offers matching movies as the user types", async () => {
    const h = await startHarness();
    try {
      const res = await sendPayload(h.url, blockSuggestion("toy"));
      expect(res.status).toBe(200);
      const body = (await res.json()) as Options;
      expect(body.options).toEqual([
        { text: { type: "plain_text", text: "Toy Story (1995)", emoji: true }, value: "1" },
        { text: { type: "plain_text", text: "Toy Story 2 (1999)", emoji: true }, value: "3114" },
      ]);
    } finally {
      await h.close();
    }
  });

  it("never sends more than 100 options, each label within 75 characters", async () => {
    const h = await startHarness({
      search: Object.assign(new FakeSearch(), { mode: "flood" as const }),
    });
    try {
      const body = (await (await sendPayload(h.url, blockSuggestion("a"))).json()) as Options;
      expect(body.options).toHaveLength(100);
      for (const option of body.options) expect(option.text.text.length).toBeLessThanOrEqual(75);
      const long = body.options.find((o) => o.value === "7");
      expect(long?.text.text.startsWith("Dr. Strangelove")).toBe(true);
      expect(long?.text.text.endsWith("…")).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("still answers, with an empty list, when the search backend hangs", async () => {
    const search = Object.assign(new FakeSearch(), { mode: "hang" as const });
    const h = await startHarness({ search, optionsBudgetMs: 100 });
    try {
      const res = await sendPayload(h.url, blockSuggestion("heat"));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ options: [] });
      expect(search.calls).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe("buttons (block_actions)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("choosing in the picker is acknowledged without running anything", async () => {
    const before = h.submitted.length;
    const res = await sendPayload(h.url, {
      ...buttonClick("pick_movies", "", h.slack.responseUrl("choose"), [1]),
      actions: [
        {
          type: "multi_external_select",
          action_id: "pick_movies",
          block_id: "movie_picker",
          selected_options: [
            { text: { type: "plain_text", text: "Toy Story (1995)" }, value: "1" },
          ],
          action_ts: "1700000001.000300",
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(h.submitted.length).toBe(before);
  });

  it("Recommend reads the picked movies from the picker's state", async () => {
    const res = await sendPayload(
      h.url,
      buttonClick("recommend_picked", "picked", h.slack.responseUrl("picked"), [2571, 6]),
    );
    expect(res.status).toBe(200);
    const [reply] = await h.slack.waitForReplies("picked");
    expect(h.recommender.calls.at(-1)?.liked).toEqual([2571, 6]);
    expect(reply).toMatchObject({ response_type: "ephemeral" });
    expect(cardIds(reply ?? {})).not.toContain(2571);
    expect(blocksOf(reply ?? {})[0]?.text?.text).toBe("Movies you might like");
  });

  it("Recommend with nothing picked gives popular picks", async () => {
    await sendPayload(
      h.url,
      buttonClick("recommend_picked", "picked", h.slack.responseUrl("none")),
    );
    const [reply] = await h.slack.waitForReplies("none");
    expect(blocksOf(reply ?? {})[0]?.text?.text).toBe("Popular picks");
    expect(reply?.response_type).toBe("ephemeral");
  });

  it("Popular picks answers the clicker alone", async () => {
    await sendPayload(h.url, buttonClick("popular_picks", "popular", h.slack.responseUrl("pop")));
    const [reply] = await h.slack.waitForReplies("pop");
    expect(reply?.response_type).toBe("ephemeral");
    expect(cardIds(reply ?? {})).toEqual([2571, 6365, 6934, 6, 1]);
  });

  it("More like this recommends from that one movie", async () => {
    await sendPayload(
      h.url,
      // Clicked on a card of a carousel.
      buttonClick("more_like_this", "6", h.slack.responseUrl("more"), [], "card_0_6"),
    );
    const [reply] = await h.slack.waitForReplies("more");
    expect(h.recommender.calls.at(-1)?.liked).toEqual([6]);
    expect(
      carouselCards(reply ?? {}).some((b) => b.body?.text.includes("Because you liked Heat")),
    ).toBe(true);
  });

  it("acknowledges the trailer and where-to-watch link buttons, and answers nothing", async () => {
    for (const actionId of ["open_trailer", "open_watch"]) {
      const res = await sendPayload(
        h.url,
        buttonClick(actionId, "", h.slack.responseUrl(`link-${actionId}`), [], "card_0_6"),
      );
      expect(res.status).toBe(200);
      expect(h.slack.repliesTo(`link-${actionId}`)).toEqual([]);
    }
  });

  it("More like this on a movie the catalog no longer has says so", async () => {
    await sendPayload(
      h.url,
      buttonClick("more_like_this", "999999", h.slack.responseUrl("gone"), [], "more_0_999999"),
    );
    const [reply] = await h.slack.waitForReplies("gone");
    expect(reply?.text).toContain("no longer in the catalog");
  });

  it("Share to channel posts the same cards in_channel, without another share button", async () => {
    await sendCommand(h.url, "Toy Story, Heat 1995", h.slack.responseUrl("mine"));
    const [mine] = await h.slack.waitForReplies("mine");
    const share = only(buttons(mine ?? {}).filter((b) => b.action_id === "share_to_channel"));
    await sendPayload(
      h.url,
      buttonClick("share_to_channel", share.value, h.slack.responseUrl("shared"), [], "share"),
    );
    const [shared] = await h.slack.waitForReplies("shared");
    expect(shared).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(cardIds(shared ?? {})).toEqual(cardIds(mine ?? {}));
    expect(buttons(shared ?? {}).some((b) => b.action_id === "share_to_channel")).toBe(false);
  });

  it("a share button whose value this app did not keep says the share has expired", async () => {
    await sendPayload(
      h.url,
      buttonClick(
        "share_to_channel",
        '{"name":"drop"}',
        h.slack.responseUrl("forged"),
        [],
        "share",
      ),
    );
    const [reply] = await h.slack.waitForReplies("forged");
    expect(reply).toMatchObject({ response_type: "ephemeral" });
    expect(reply?.text).toBe("This share has expired — run /recommend again.");
  });
});
