import { type APIEmbed, embedLength } from "discord.js";
import { describe, expect, it } from "vitest";
import { cardEmbed, LIMITS, renderResult } from "../../../bot/discord/embeds.ts";
import { WATCH_LIMITS } from "../../../bot/discord/watch-embed.ts";
import { cardFixture, jobResultFixture } from "../../support/cards.ts";
import { longestCard, watchFixture } from "../../support/watch-cards.ts";

type Row = { components: Array<Record<string, unknown>> };

/** Every limit Discord sets on embeds and components, checked on a rendered message. */
function expectWithinDiscordLimits(rendered: ReturnType<typeof renderResult>): void {
  expect(rendered.content.length).toBeLessThanOrEqual(LIMITS.contentChars);
  expect(rendered.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  const total = rendered.embeds.reduce((sum, e) => sum + embedLength(e), 0);
  expect(total).toBeLessThanOrEqual(LIMITS.embedCharsPerMessage);
  for (const embed of rendered.embeds as APIEmbed[]) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(WATCH_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(WATCH_LIMITS.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
    }
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(WATCH_LIMITS.footerText);
    expect(embed.author?.name.length ?? 0).toBeLessThanOrEqual(WATCH_LIMITS.authorName);
  }
  expect(rendered.components.length).toBeLessThanOrEqual(LIMITS.actionRows);
  for (const row of rendered.components as unknown as Row[]) {
    expect(row.components.length).toBeLessThanOrEqual(WATCH_LIMITS.buttonsPerRow);
    for (const component of row.components) {
      if (typeof component.label === "string") {
        expect(component.label.length).toBeLessThanOrEqual(WATCH_LIMITS.buttonLabel);
      }
      if (typeof component.url === "string") {
        expect(component.url.length).toBeLessThanOrEqual(WATCH_LIMITS.buttonUrl);
      }
    }
  }
}

describe("Discord cards with where to watch", () => {
  it("shows providers, TMDB's watch page, the trailer and the JustWatch credit on the embed", () => {
    const card = cardFixture(550, {
      title: "Fight Club",
      watch: watchFixture("CH", 2),
      trailerUrl: "https://www.youtube.com/watch?v=SUXWAEX2jlg",
    });
    const embed = cardEmbed(card);
    expect(embed).toMatchObject({
      title: "Fight Club (1999)",
      thumbnail: { url: "https://posters.example/550.jpg" },
      author: {
        name: "Stream on Stream 0 xxx",
        icon_url: "https://image.example/t/p/w92/Stream0.jpg",
      },
      footer: { text: "Streaming data: JustWatch, via TMDB" },
    });
    expect(embed.fields?.[1]).toEqual({
      name: "Where to watch in CH",
      value:
        "Stream: Stream 0 xxx, Stream 1 xxx · Rent: Rent 0 xxxxx, Rent 1 xxxxx · Buy: Buy 0 xxxxxx, Buy 1 xxxxxx\n" +
        "[All options](https://www.themoviedb.org/movie/550/watch?locale=CH) · [▶ Trailer](https://www.youtube.com/watch?v=SUXWAEX2jlg)",
    });
    const rendered = renderResult(jobResultFixture([card]), { shareId: "abcdefghijklmnop" });
    const trailers = rendered.components.at(-1) as unknown as Row;
    expect(trailers.components).toEqual([
      expect.objectContaining({
        style: 5,
        label: "▶ Fight Club (1999)",
        url: "https://www.youtube.com/watch?v=SUXWAEX2jlg",
      }),
    ]);
  });

  it("gives a trailer field alone when there are no providers", () => {
    const embed = cardEmbed(cardFixture(2, { trailerUrl: "https://www.youtube.com/watch?v=abc" }));
    expect(embed.fields?.[1]).toEqual({
      name: "Trailer",
      value: "[▶ Trailer](https://www.youtube.com/watch?v=abc)",
    });
    expect(embed.footer).toBeUndefined();
  });

  it("holds every limit with 10 cards of the longest titles and 60 providers each, showing all 10", () => {
    const cards = Array.from({ length: 10 }, (_, i) => longestCard(100_000_000 + i));
    const rendered = renderResult(jobResultFixture(cards, { unresolved: ["x".repeat(4000)] }), {
      shareId: "abcdefghijklmnop",
    });
    expectWithinDiscordLimits(rendered);
    expect(rendered.embeds).toHaveLength(10);
    for (const embed of rendered.embeds) {
      expect(embed.footer?.text).toContain("JustWatch");
      expect(embed.fields?.some((f) => f.name === "Where to watch in CH")).toBe(true);
    }
    // Select, Share and one row of five trailer buttons.
    expect(rendered.components).toHaveLength(3);
  });

  it("looks as it always did without a TMDB key: no watch field, credit, author or trailer row", () => {
    const rendered = renderResult(jobResultFixture([cardFixture(1, { posterUrl: null })]), {
      shareId: "abcdefghijklmnop",
    });
    expectWithinDiscordLimits(rendered);
    const [embed] = rendered.embeds;
    expect(embed?.fields).toEqual([{ name: "Genres", value: "Drama, Crime", inline: true }]);
    expect(embed?.footer).toBeUndefined();
    expect(embed?.author).toBeUndefined();
    expect(rendered.components).toHaveLength(2);
  });
});
