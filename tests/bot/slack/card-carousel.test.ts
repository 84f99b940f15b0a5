import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../bot/slack/block-limits.ts";
import { resultMessage, type SlackMessage } from "../../../bot/slack/blocks.ts";
import { CARD_LIMITS } from "../../../bot/slack/card-carousel.ts";
import { cardFixture, jobResultFixture } from "../../support/cards.ts";
import { longestCard, watchFixture } from "../../support/watch-cards.ts";

type Json = Record<string, unknown>;
type Text = { type: string; text: string };
type CardJson = Json & {
  block_id: string;
  title?: Text;
  subtitle?: Text;
  body?: Text;
  hero_image?: Json & { image_url: string; alt_text: string };
  actions?: (Json & { text: Text; url?: string; value?: string; action_id: string })[];
};

function carouselOf(message: SlackMessage): CardJson[] {
  const carousels = message.blocks.filter((b) => b.type === "carousel");
  expect(carousels).toHaveLength(1);
  return (carousels[0] as unknown as { elements: CardJson[] }).elements;
}

/** Every limit Slack sets on a carousel of cards, and on the message around it. */
function expectCarouselWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  const cards = carouselOf(message);
  expect(cards.length).toBeGreaterThanOrEqual(1);
  expect(cards.length).toBeLessThanOrEqual(CARD_LIMITS.cardsPerCarousel);
  for (const card of cards) {
    expect(card.type).toBe("card");
    expect(card.block_id.length).toBeLessThanOrEqual(CARD_LIMITS.blockId);
    expect(card.title?.text.length ?? 0).toBeLessThanOrEqual(CARD_LIMITS.title);
    expect(card.subtitle?.text.length ?? 0).toBeLessThanOrEqual(CARD_LIMITS.subtitle);
    expect(card.body?.text.length ?? 0).toBeLessThanOrEqual(CARD_LIMITS.body);
    expect(card.title || card.body || card.hero_image || card.actions).toBeTruthy();
    expect(card.actions?.length ?? 0).toBeLessThanOrEqual(CARD_LIMITS.actions);
    for (const button of card.actions ?? []) {
      expect(button.type).toBe("button");
      expect(button.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      expect(button.url?.length ?? 0).toBeLessThanOrEqual(LIMITS.imageUrl);
      expect(button.value?.length ?? 0).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
    if (card.hero_image) {
      expect(card.hero_image.image_url.length).toBeLessThanOrEqual(LIMITS.imageUrl);
      expect(card.hero_image.alt_text.length).toBeGreaterThan(0);
      expect(card.hero_image.alt_text.length).toBeLessThanOrEqual(LIMITS.altText);
    }
    // Markup characters from catalog text never reach Slack raw (no forged mentions or links).
    for (const text of [card.title, card.subtitle, card.body]) {
      expect(text?.text ?? "").not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    }
  }
  const blockIds = message.blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));
  const ids = [...blockIds, ...cards.map((c) => c.block_id)];
  expect(new Set(ids).size).toBe(ids.length);
}

describe("Slack carousel of cards", () => {
  it("shows a result set with posters as a carousel: hero poster, title, genres, why, providers and buttons", () => {
    const card = cardFixture(550, {
      title: "Fight Club",
      watch: watchFixture("CH", 2),
      trailerUrl: "https://www.youtube.com/watch?v=SUXWAEX2jlg",
    });
    const message = resultMessage(jobResultFixture([card, cardFixture(2)]), {
      shareId: "abcdefghijklmnop",
    });
    expectCarouselWithinLimits(message);
    const [first, second] = carouselOf(message);
    expect(first).toMatchObject({
      type: "card",
      hero_image: {
        image_url: "https://posters.example/550.jpg",
        alt_text: "Poster of Fight Club (1999)",
      },
      title: { type: "mrkdwn", text: "Fight Club (1999)" },
      subtitle: { text: "Drama, Crime" },
    });
    expect(first?.body?.text).toBe(
      "_Because you liked Heat_\nStream: Stream 0 xxx, Stream 1 xxx · Rent: Rent 0 xxxxx, Rent 1 xxxxx · Buy: Buy 0 xxxxxx, Buy 1 xxxxxx",
    );
    expect(first?.actions?.map((b) => [b.text.text, b.url ?? b.value])).toEqual([
      ["More like this", "550"],
      ["▶ Trailer", "https://www.youtube.com/watch?v=SUXWAEX2jlg"],
      ["Where to watch", "https://www.themoviedb.org/movie/550/watch?locale=CH"],
    ]);
    // Without providers or trailer, the third button is the film's page.
    expect(second?.actions?.map((b) => b.text.text)).toEqual(["More like this", "Details"]);
    // Providers show, so JustWatch is credited, next to the carousel.
    const credit = message.blocks.find((b) => b.block_id === "watch_credit");
    expect(JSON.stringify(credit)).toContain("Where to watch in CH: data by JustWatch, via TMDB.");
    expect(message.blocks.at(-1)).toMatchObject({ block_id: "share" });
  });

  it("holds every limit with 10 cards of the longest titles and 60 providers each", () => {
    const cards = Array.from({ length: 10 }, (_, i) => longestCard(100_000_000 + i));
    const message = resultMessage(jobResultFixture(cards, { unresolved: ["x".repeat(4000)] }), {
      shareId: "abcdefghijklmnop",
    });
    expectCarouselWithinLimits(message);
    const shown = carouselOf(message);
    expect(shown).toHaveLength(10);
    for (const card of shown) {
      // Names that do not fit are counted, not cut.
      expect(card.body?.text).toMatch(/Stream: .+ \+\d+/);
      expect(card.actions).toHaveLength(3);
    }
    expect(JSON.stringify(message.blocks)).toContain("data by JustWatch");
  });

  it("falls back to sections past 10 cards, with providers, trailer buttons and the credit", () => {
    const cards = Array.from({ length: 11 }, (_, i) => longestCard(i + 1));
    const message = resultMessage(jobResultFixture(cards), { shareId: "abcdefghijklmnop" });
    expect(message.blocks.some((b) => b.type === "carousel")).toBe(false);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    const sections = message.blocks.filter((b) => b.block_id?.startsWith("card_")) as unknown as {
      text: Text;
    }[];
    expect(sections).toHaveLength(11);
    for (const section of sections) {
      expect(section.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(section.text.text).toContain("Stream: ");
    }
    const actions = message.blocks.filter((b) => b.block_id?.startsWith("more_")) as unknown as {
      elements: { text: Text }[];
    }[];
    expect(actions[0]?.elements.map((e) => e.text.text)).toEqual([
      "More like this",
      "▶ Trailer",
      "Where to watch",
    ]);
    expect(message.blocks.find((b) => b.block_id === "watch_credit")).toBeDefined();
  });

  it("falls back to sections without posters, and looks as it always did without a TMDB key", () => {
    const plain = [cardFixture(1, { posterUrl: null }), cardFixture(2, { posterUrl: null })];
    const message = resultMessage(jobResultFixture(plain), { shareId: "abcdefghijklmnop" });
    expect(message.blocks.map((b) => b.type)).toEqual([
      "header",
      "section",
      "actions",
      "section",
      "actions",
      "actions",
    ]);
    const [, , more] = message.blocks as unknown as { elements: unknown[] }[];
    expect(more?.elements).toHaveLength(1);
    expect(JSON.stringify(message.blocks)).not.toContain("JustWatch");
  });

  it("leaves out a poster or a link too long for Slack rather than have the message rejected", () => {
    const card = cardFixture(3, {
      trailerUrl: `https://www.youtube.com/watch?v=${"a".repeat(3000)}`,
    });
    const other = cardFixture(4, { posterUrl: `https://posters.example/${"p".repeat(3000)}` });
    const message = resultMessage(jobResultFixture([card, other]), { shareId: "abcdefghijklmnop" });
    expectCarouselWithinLimits(message);
    const [first, second] = carouselOf(message);
    expect(first?.actions?.map((b) => b.text.text)).toEqual(["More like this", "Details"]);
    expect(second?.hero_image).toBeUndefined();
  });
});
