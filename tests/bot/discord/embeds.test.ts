import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  embedLength,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { parseShareCustomId, shareCustomId } from "../../../bot/discord/custom-ids.ts";
import {
  cardEmbed,
  renderChoices,
  renderNotice,
  renderResult,
  renderWithShare,
  resultComponents,
  shownCards,
} from "../../../bot/discord/embeds.ts";
import { cardFixture, jobResultFixture } from "../../support/cards.ts";

const card = cardFixture;
const result = jobResultFixture;

const optionsOf = (rendered: ReturnType<typeof renderResult>) => {
  const select = rendered.components[0]?.components[0];
  return select && "options" in select ? (select.options ?? []) : [];
};

describe("Discord embeds", () => {
  it("renders a card: linked title with year, reason, genres, poster thumbnail", () => {
    expect(cardEmbed(card(6365, { title: "The Matrix Reloaded", year: 2003 }))).toMatchObject({
      title: "The Matrix Reloaded (2003)",
      url: "https://www.themoviedb.org/movie/6365",
      description: "Because you liked Heat",
      fields: [{ name: "Genres", value: "Drama, Crime", inline: true }],
      thumbnail: { url: "https://posters.example/6365.jpg" },
    });
    const bare = cardEmbed(card(7, { tmdbUrl: null, imdbUrl: null, posterUrl: null, year: null }));
    expect(bare.title).toBe("Movie 7");
    expect(bare.url).toBeUndefined();
    expect(bare.thumbnail).toBeUndefined();
  });

  it("links to IMDb when TMDB is unknown", () => {
    const embed = cardEmbed(
      card(7, { tmdbUrl: null, imdbUrl: "https://www.imdb.com/title/tt0000007/" }),
    );
    expect(embed.url).toBe("https://www.imdb.com/title/tt0000007/");
  });

  it("keeps at most 10 embeds and 6000 characters in a message", () => {
    const many = result(Array.from({ length: 14 }, (_, i) => card(i + 1)));
    expect(renderResult(many, { shareId: "abcdefghijklmnop" }).embeds).toHaveLength(10);

    const wordy = result(
      Array.from({ length: 10 }, (_, i) => card(i + 1, { reason: "x".repeat(1500) })),
    );
    const rendered = renderResult(wordy, { shareId: "abcdefghijklmnop" });
    const total = rendered.embeds.reduce((sum, e) => sum + embedLength(e), 0);
    expect(total).toBeLessThanOrEqual(6000);
    // Long reasons are shortened so that every card keeps its place.
    expect(rendered.embeds).toHaveLength(10);
    expect(rendered.embeds[0]?.description?.length).toBeLessThan(1500);
    // The select lists exactly the movies shown, and those are the cards Share will post.
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(optionsOf(rendered).map((o) => o.value)).toEqual(ids.map(String));
    expect(shownCards(wordy).map((c) => c.movieId)).toEqual(ids);
    const share = rendered.components[1]?.components[0];
    const shareId = share && "custom_id" in share ? share.custom_id : "";
    expect(parseShareCustomId(shareId)).toBe("abcdefghijklmnop");
  });

  it("truncates titles, labels and descriptions to Discord's limits instead of failing", () => {
    const long = card(1, { title: "T".repeat(400), reason: "R".repeat(300) });
    expect(cardEmbed(long).title?.length).toBe(256);
    const [option] = optionsOf(renderResult(result([long]), { shareId: null }));
    expect(option?.label.length).toBe(100);
    expect(option?.description?.length).toBe(100);
    // What the truncation protects against: the builder itself rejects a longer label.
    expect(() => new StringSelectMenuOptionBuilder().setLabel("L".repeat(101))).toThrow();
  });

  it("offers a Share button only with a share id, carrying just that id", () => {
    const cards = [card(1), card(2)];
    const rows = resultComponents(cards, { shareId: "abcdefghijklmnop" });
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows[1])).toContain('"custom_id":"share:abcdefghijklmnop"');
    expect(resultComponents(cards, { shareId: null })).toHaveLength(1);
    expect(resultComponents([], { shareId: "abcdefghijklmnop" })).toEqual([]);
  });

  it("sends the rows discord.js's builders send, key for key, without their per-call checks", () => {
    const trailer = "https://www.youtube.com/watch?v=abc";
    const cards = [card(1, { trailerUrl: trailer }), card(2, { title: "L".repeat(120) })];
    const rows = resultComponents(cards, { shareId: "abcdefghijklmnop" });
    const options = cards.map((c) =>
      new StringSelectMenuOptionBuilder()
        .setLabel(c.title.length > 90 ? `${"L".repeat(99)}…` : `${c.title} (1999)`)
        .setValue(String(c.movieId))
        .setDescription(c.reason),
    );
    const expected = [
      new ActionRowBuilder<StringSelectMenuBuilder>()
        .addComponents(
          new StringSelectMenuBuilder()
            .setCustomId("more-like")
            .setPlaceholder("More like…")
            .addOptions(options),
        )
        .toJSON(),
      new ActionRowBuilder<ButtonBuilder>()
        .addComponents(
          new ButtonBuilder()
            .setCustomId("share:abcdefghijklmnop")
            .setLabel("Share to channel")
            .setStyle(ButtonStyle.Primary),
        )
        .toJSON(),
      new ActionRowBuilder<ButtonBuilder>()
        .addComponents(
          new ButtonBuilder()
            .setStyle(ButtonStyle.Link)
            .setURL(trailer)
            .setLabel("▶ Movie 1 (1999)"),
        )
        .toJSON(),
    ];
    // The same JSON text: what Discord receives did not change when the builders went.
    expect(JSON.stringify(rows)).toBe(JSON.stringify(expected));
  });

  it("lays a private result out once, and without a Share button when the cards are not kept", async () => {
    const member = { platform: "discord" as const, workspace: "g", user: "u" };
    const many = result(
      Array.from({ length: 8 }, (_, i) => card(i + 1)),
      { request: { name: "recommend", liked: [], titles: [], limit: 10, member } },
    );
    let kept: number[] = [];
    const shared = await renderWithShare(many, async (shown) => {
      kept = shown.map((c) => c.movieId);
      return "abcdefghijklmnop";
    });
    expect(shared).toEqual(renderResult(many, { shareId: "abcdefghijklmnop" }));
    expect(kept).toEqual(shownCards(many).map((c) => c.movieId));
    // Select and Share leave three rows for cards; without Share, one card more fits.
    expect(kept).toHaveLength(3);
    const unkept = await renderWithShare(many, async () => null);
    expect(unkept).toEqual(renderResult(many, { shareId: null }));
    expect(unkept.embeds).toHaveLength(4);
  });

  it("reads a Share button's id back, whatever its age, and nothing else", () => {
    expect(parseShareCustomId(shareCustomId("abcdefghijklmnop"))).toBe("abcdefghijklmnop");
    // A button from before the cards were kept server-side: still a share, one that has expired.
    expect(parseShareCustomId("share:2571,858")).toBe("2571,858");
    expect(parseShareCustomId("more-like")).toBeNull();
  });

  it("says what it could not use, escaping what the user typed", () => {
    const rendered = renderResult(
      result([card(1)], { unresolved: ["_heat_", "x".repeat(300)], ignored: [424242] }),
      { shareId: "abcdefghijklmnop" },
    );
    expect(rendered.content).toContain("I couldn't find “\\_heat\\_”");
    expect(rendered.content).toContain("1 picked movie(s) are not in the catalog");
    expect(rendered.content.length).toBeLessThanOrEqual(2000);
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
  });

  it("says so when there is nothing to show", () => {
    const empty = renderResult(result([], { strategy: "popular" }), {
      shareId: "abcdefghijklmnop",
    });
    expect(empty.content).toContain("nothing to show");
    expect(empty.embeds).toEqual([]);
    expect(empty.components).toEqual([]);
  });

  it("renders autocomplete choices: at most 25, unique, names at most 100 characters", () => {
    const suggestions = Array.from({ length: 40 }, (_, i) => ({
      movieId: i % 30,
      title: `Title ${i}`,
      year: 2000,
      label: `${"Very long title ".repeat(10)}${i} (2000)`,
    }));
    const choices = renderChoices(suggestions);
    expect(choices).toHaveLength(25);
    expect(new Set(choices.map((c) => c.value)).size).toBe(25);
    for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
  });

  it("renders a notice that clears embeds and components", () => {
    expect(renderNotice("Sorry")).toEqual({
      content: "Sorry",
      embeds: [],
      components: [],
      allowed_mentions: { parse: [] },
    });
  });
});
