import { describe, expect, it } from "vitest";
import { parsePickCustomId } from "../../../bot/discord/custom-ids.ts";
import { renderResult } from "../../../bot/discord/embeds.ts";
import { resultMessage } from "../../../bot/slack/blocks.ts";
import type { TitleMatch } from "../../../core/cards/card-service.ts";
import { cardFixture, jobResultFixture } from "../../support/cards.ts";

const suggestion = (movieId: number, label: string) => ({
  movieId,
  title: label.replace(/ \(\d{4}\)$/, ""),
  year: Number(/\((\d{4})\)$/.exec(label)?.[1] ?? 0),
  label,
});

const matches: TitleMatch[] = [
  {
    typed: "toy stroy",
    match: suggestion(1, "Toy Story (1995)"),
    confidence: 0.9,
    weak: null,
    candidates: [],
  },
  {
    typed: "star wars",
    match: null,
    confidence: 0.87,
    weak: "close_second",
    candidates: [
      suggestion(260, "Star Wars: Episode IV - A New Hope (1977)"),
      suggestion(1196, "Star Wars: Episode V - The Empire Strikes Back (1980)"),
      suggestion(1210, "Star Wars: Episode VI - Return of the Jedi (1983)"),
    ],
  },
];
const result = jobResultFixture([cardFixture(6)], {
  matches,
  request: { name: "recommend", liked: [], titles: ["toy stroy", "star wars"], limit: 1 },
});

describe("chat replies say what typed titles matched", () => {
  it("Slack: a 'typed → matched' line, and a weak match's candidates as buttons", () => {
    const message = resultMessage(result, { shareId: "abcdefghijklmnop" });
    const texts = JSON.stringify(message.blocks);
    expect(texts).toContain("toy stroy → Toy Story (1995)");
    expect(texts).toContain("“star wars” could be several movies. Which one did you mean?");
    const buttons = message.blocks.flatMap((b) =>
      b.type === "section" && b.accessory?.type === "button" ? [b.accessory] : [],
    );
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ["more_like_this", "260"],
      ["more_like_this", "1196"],
      ["more_like_this", "1210"],
    ]);
    // Nothing to say when every title matched as typed and nothing was weak.
    const plain = resultMessage(jobResultFixture([cardFixture(6)]), {
      shareId: "abcdefghijklmnop",
    });
    expect(JSON.stringify(plain.blocks)).not.toContain("→");
  });

  it("Discord: the same lines in the message, and one button per candidate", () => {
    const rendered = renderResult(result, { shareId: "abcdefghijklmnop" });
    expect(rendered.content).toContain("toy stroy → Toy Story (1995)");
    expect(rendered.content).toContain("“star wars” could be several movies");
    const ids = rendered.components.flatMap((row) =>
      row.components.flatMap((c) => ("custom_id" in c ? [c.custom_id] : [])),
    );
    expect(ids.map(parsePickCustomId).filter((id) => id !== null)).toEqual(["260", "1196", "1210"]);
    // custom_ids stay unique within the message.
    expect(new Set(ids).size).toBe(ids.length);
    expect(rendered.components.length).toBeLessThanOrEqual(5);
  });
});
