import { describe, expect, it } from "vitest";
import { frontArticle, parseTitle } from "../../../core/catalog/title.ts";

describe("MovieLens titles as people write them", () => {
  it("moves trailing articles to the front", () => {
    expect(parseTitle("Matrix, The (1999)")).toEqual({
      title: "The Matrix",
      altTitles: [],
      year: 1999,
    });
    expect(frontArticle("Homme qui aimait les femmes, L'")).toBe("L'Homme qui aimait les femmes");
  });

  it("keeps alternate titles from parentheses, a.k.a. removed", () => {
    expect(parseTitle("Seven (a.k.a. Se7en) (1995)")).toEqual({
      title: "Seven",
      altTitles: ["Se7en"],
      year: 1995,
    });
    expect(parseTitle("City of Lost Children, The (Cité des enfants perdus, La) (1995)")).toEqual({
      title: "The City of Lost Children",
      altTitles: ["La Cité des enfants perdus"],
      year: 1995,
    });
  });

  it("handles titles without a year, leading parentheses and trailing spaces", () => {
    expect(parseTitle("Babylon 5")).toEqual({ title: "Babylon 5", altTitles: [], year: null });
    expect(parseTitle("(500) Days of Summer (2009)").title).toBe("(500) Days of Summer");
    expect(parseTitle("96 Minutes (2011) ").year).toBe(2011);
  });
});
