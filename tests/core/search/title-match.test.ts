import { describe, expect, it } from "vitest";
import { matchQuality } from "../../../core/search/title-match.ts";

const movie = (title: string, year: number | null = null, altTitles: string[] = []) => ({
  title,
  altTitles,
  year,
});

describe("matchQuality: how surely a typed title names a movie, whatever backend found it", () => {
  it("is 1 for the whole title typed, in any case, order or form of its number", () => {
    expect(matchQuality("Toy Story", movie("Toy Story"))).toBe(1);
    expect(matchQuality("matrix, the", movie("The Matrix"))).toBe(1);
    expect(matchQuality("rocky 2", movie("Rocky II"))).toBe(1);
    expect(matchQuality("heat 1995", movie("Heat", 1995))).toBe(1);
    expect(
      matchQuality("amelie", movie("Amelie", 2001, ["Fabuleux destin d'Amélie Poulain"])),
    ).toBe(1);
    expect(matchQuality("brave heart", movie("Braveheart"))).toBe(1);
  });

  it("costs a typo less than a missing word, and an untyped title word a little", () => {
    const typo = matchQuality("toy stroy", movie("Toy Story"));
    expect(typo).toBeGreaterThan(0.8);
    expect(typo).toBeLessThan(1);
    expect(matchQuality("toy story", movie("Toy Story 2"))).toBeLessThan(1);
    expect(matchQuality("toy story", movie("Toy Story 2"))).toBeGreaterThan(typo);
    expect(matchQuality("xyzzy wars", movie("Star Wars"))).toBeLessThan(0.6);
    expect(matchQuality("qqqzzz", movie("Troy"))).toBe(0);
  });

  it("reads short forms as the title they stand for", () => {
    expect(matchQuality("lotr two towers", movie("The Lord of the Rings: The Two Towers"))).toBe(1);
    expect(matchQuality("t2", movie("Terminator 2: Judgment Day"))).toBeGreaterThan(0.8);
  });
});
