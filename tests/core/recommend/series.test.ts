import { describe, expect, it } from "vitest";
import { seriesOf } from "../../../core/recommend/series.ts";

const titles = (list: (string | [string, string[]])[]) =>
  list.map((t) =>
    typeof t === "string" ? { title: t, altTitles: [] } : { title: t[0], altTitles: t[1] },
  );

/** The titles grouped as seriesOf groups them (singletons left out). */
function groups(list: (string | [string, string[]])[]): string[][] {
  const movies = titles(list);
  const ids = seriesOf(movies);
  const byId = new Map<number, string[]>();
  movies.forEach((m, i) => {
    const id = ids[i] as number;
    if (id < 0) return;
    byId.set(id, [...(byId.get(id) ?? []), m.title]);
  });
  return [...byId.values()];
}

describe("series from titles", () => {
  it("joins numbered sequels, subtitled entries, 'X and the …' and title extensions", () => {
    expect(
      groups([
        "Toy Story",
        "Toy Story 2",
        "Toy Story 3",
        "The Lord of the Rings: The Fellowship of the Ring",
        "The Lord of the Rings: The Two Towers",
        "Harry Potter and the Sorcerer's Stone",
        "Harry Potter and the Chamber of Secrets",
        "The Terminator",
        "Terminator 2: Judgment Day",
        "The Matrix",
        "The Matrix Reloaded",
        "Rocky",
        "Rocky IV",
        "Ocean's Eleven",
        "Ocean's Twelve",
        "Heat",
      ]),
    ).toEqual([
      ["Toy Story", "Toy Story 2", "Toy Story 3"],
      [
        "The Lord of the Rings: The Fellowship of the Ring",
        "The Lord of the Rings: The Two Towers",
      ],
      ["Harry Potter and the Sorcerer's Stone", "Harry Potter and the Chamber of Secrets"],
      ["The Terminator", "Terminator 2: Judgment Day"],
      ["The Matrix", "The Matrix Reloaded"],
      ["Rocky", "Rocky IV"],
      ["Ocean's Eleven", "Ocean's Twelve"],
    ]);
  });

  it("reads alternate titles: Raiders of the Lost Ark is an Indiana Jones film", () => {
    expect(
      groups([
        ["Raiders of the Lost Ark", ["Indiana Jones and the Raiders of the Lost Ark"]],
        "Indiana Jones and the Last Crusade",
      ]),
    ).toEqual([["Raiders of the Lost Ark", "Indiana Jones and the Last Crusade"]]);
  });

  it("does not mistake shared words for a series", () => {
    expect(
      groups([
        "The Mission",
        "Mission: Impossible",
        "Unforgiven",
        "The Unforgiven",
        "The Man",
        "The Man Who Knew Too Much",
        "The Man in the Iron Mask",
        "The Man with Two Brains",
        "The Man Without a Face",
        "Beauty and the Beast",
        "Beauty Shop",
      ]),
    ).toEqual([]);
  });
});
