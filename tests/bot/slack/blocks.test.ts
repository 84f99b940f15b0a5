import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../bot/slack/block-limits.ts";
import {
  cardBlocks,
  movieOptions,
  pickerMessage,
  resultMessage,
  type SlackMessage,
} from "../../../bot/slack/blocks.ts";
import { cardFixture, jobResultFixture } from "../../support/cards.ts";

const card = cardFixture;
const result = jobResultFixture;

type Json = Record<string, unknown>;

/** Every text-bearing field in a message, found by walking the JSON. */
function walk(value: unknown, visit: (key: string, v: unknown, parent: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      visit(key, v, value as Json);
      walk(v, visit);
    }
  }
}

/** Asserts the Block Kit limits Slack enforces anywhere in a message. */
function expectWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  walk(message.blocks, (key, v, parent) => {
    if (parent.type === "button" && key === "text") {
      expect((v as { text: string }).text.length).toBeLessThanOrEqual(LIMITS.buttonText);
    }
    if (parent.type === "button" && key === "value") {
      expect((v as string).length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
    if (parent.type === "mrkdwn" && key === "text") {
      expect((v as string).length).toBeLessThanOrEqual(LIMITS.sectionText);
    }
    if (parent.type === "image") {
      expect(typeof parent.alt_text).toBe("string");
      expect((parent.alt_text as string).length).toBeGreaterThan(0);
      expect((parent.alt_text as string).length).toBeLessThanOrEqual(LIMITS.altText);
    }
  });
  const blockIds = message.blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));
  expect(new Set(blockIds).size).toBe(blockIds.length);
}

describe("Block Kit rendering", () => {
  it("renders a card with linked title, year, genres, reason and the poster with alt_text", () => {
    const [section, actions] = cardBlocks(card(42), 0);
    expect(section).toMatchObject({
      type: "section",
      text: {
        type: "mrkdwn",
        text: "*<https://www.themoviedb.org/movie/42|Movie 42 (1999)>*\nDrama, Crime\n_Because you liked Heat_",
      },
      accessory: {
        type: "image",
        image_url: "https://posters.example/42.jpg",
        alt_text: "Poster of Movie 42 (1999)",
      },
    });
    expect(actions).toMatchObject({
      type: "actions",
      elements: [{ action_id: "more_like_this", value: "42", text: { text: "More like this" } }],
    });
  });

  it("leaves the image out when there is no poster, and the link when there is no URL", () => {
    const [section] = cardBlocks(card(1, { posterUrl: null, tmdbUrl: null, year: null }), 0);
    expect(section).not.toHaveProperty("accessory");
    expect(section).toMatchObject({ text: { text: expect.stringMatching(/^\*Movie 1\*\n/) } });
  });

  it("escapes mrkdwn control characters in titles so they cannot forge links", () => {
    const [section] = cardBlocks(card(7, { title: "Tom & Jerry <!channel>" }), 0);
    const text = (section as { text: { text: string } }).text.text;
    expect(text).toContain("Tom &amp; Jerry &lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
  });

  it("stays within 50 blocks however many cards come back, and says how many were left out", () => {
    const many = Array.from({ length: 40 }, (_, i) => card(i + 1));
    const message = resultMessage(result(many, { unresolved: ["Nope"] }), {
      shareId: "abcdefghijklmnop",
    });
    expectWithinLimits(message);
    expect(message.blocks).toHaveLength(50);
    const last = message.blocks.at(-2) as { text: { text: string } };
    expect(last.text.text).toMatch(/^…and \d+ more\.$/);
    expect(message.blocks.at(-1)).toMatchObject({ block_id: "share" });
  });

  it("clips every text to Slack's limits: 3000-char sections, 75-char buttons", () => {
    const huge = card(9, {
      title: "A".repeat(500),
      reason: "R".repeat(5000),
      genres: Array.from({ length: 300 }, (_, i) => `Genre${i}`),
    });
    const message = resultMessage(result([huge], { unresolved: ["x".repeat(4000)] }), {
      shareId: "abcdefghijklmnop",
    });
    expectWithinLimits(message);
  });

  it("names unresolved titles and explains a fall-back to popular", () => {
    const message = resultMessage(
      result([card(1)], {
        strategy: "popular",
        unresolved: ["Qwxyzzy", "Blorfnax"],
        request: { name: "recommend", liked: [], titles: ["Qwxyzzy", "Blorfnax"], limit: 5 },
      }),
      { shareId: "abcdefghijklmnop" },
    );
    expect(message.blocks[0]).toMatchObject({ type: "header", text: { text: "Popular picks" } });
    expect(message.blocks[1]).toMatchObject({
      text: {
        text: "Couldn't find “Qwxyzzy”, “Blorfnax”.\nNothing to go on yet, so here is what is popular.",
      },
    });
    expect(message.text).toContain("couldn't find Qwxyzzy, Blorfnax");
  });

  it("puts the request into Share to channel, and leaves the button off once shared", () => {
    const done = result([card(1)]);
    const mine = resultMessage(done, { shareId: "abcdefghijklmnop" });
    const share = mine.blocks.at(-1) as {
      elements: Array<{ value: string; text: { text: string } }>;
    };
    expect(share.elements[0]?.text.text).toBe("Share to channel");
    expect(share.elements[0]?.value).toBe("abcdefghijklmnop");
    const shared = resultMessage(done, { shareId: null });
    expect(JSON.stringify(shared.blocks)).not.toContain("share_to_channel");
  });

  it("says so when there is nothing to show, without a share button", () => {
    const message = resultMessage(result([]), { shareId: "abcdefghijklmnop" });
    expect(JSON.stringify(message.blocks)).toContain("No movies to show");
    expect(JSON.stringify(message.blocks)).not.toContain("share_to_channel");
  });

  it("builds the picker with a multi_external_select and two buttons", () => {
    const picker = pickerMessage();
    expectWithinLimits(picker);
    expect(picker.blocks[0]).toMatchObject({
      accessory: { type: "multi_external_select", min_query_length: 1, max_selected_items: 25 },
    });
  });

  it("caps options at 100, clips labels to 75 characters and drops duplicates", () => {
    const suggestions = Array.from({ length: 150 }, (_, i) => ({
      movieId: i % 120,
      title: "T",
      year: 2000,
      label: `${"Long title ".repeat(10)}${i}`,
    }));
    const options = movieOptions(suggestions);
    expect(options).toHaveLength(100);
    expect(new Set(options.map((o) => o.value)).size).toBe(100);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(LIMITS.optionText);
      expect(option.value?.length).toBeLessThanOrEqual(LIMITS.optionValue);
    }
  });
});
