import { describe, expect, it } from "vitest";
import { foldText, indexTerms } from "../../../core/search/search-text.ts";
import {
  numberForms,
  queryReadings,
  romanValue,
  titleVariants,
} from "../../../core/search/title-forms.ts";

const read = (text: string) => queryReadings(text).map((r) => `${r.kind}: ${r.words.join(" ")}`);
const variants = (title: string) => titleVariants(foldText(title), indexTerms(title));

describe("queryReadings: the ways a typed title is read, shared by both search adapters", () => {
  it("makes a sequel marker before a number optional, in any form of the number", () => {
    for (const text of ["godfather part 2", "godfather part ii", "godfather pt. two"]) {
      const [typed] = queryReadings(text);
      expect(typed?.words.slice(0, 1)).toEqual(["godfather"]);
      expect(typed?.words).not.toContain("part");
      expect(typed?.optional.length).toBe(1);
    }
    // Not before a number, the marker is a title word ("Part of the Game").
    expect(queryReadings("part of")[0]?.words).toEqual(["part", "of"]);
  });

  it("spells out short forms, the typed reading first", () => {
    expect(read("lotr")).toEqual(["typed: lotr", "short form: lord of the rings"]);
    expect(read("t2")).toEqual(["typed: t2", "short form: terminator 2"]);
    expect(read("hp goblet")).toContain("short form: harry potter goblet");
    // "et" is a word in French titles: read as E.T. only when it leads.
    expect(read("et")).toContain("short form: e t");
    expect(read("jules et jim")).not.toContain("short form: jules e t jim");
    expect(read("dr strangelove")).toContain("spelling: doctor strangelove");
  });

  it("reads words that name JavaScript's own object properties as plain words", () => {
    // "constructor" used to find Object's constructor in the tables, and the search threw.
    expect(read("constructor")).toEqual(["typed: constructor"]);
    // Nor is it a number that would make "part" a sequel marker.
    expect(queryReadings("part constructor")[0]?.words).toEqual(["part", "constructor"]);
    expect(numberForms("constructor")).toEqual([]);
    expect(variants("The Constructor")).toEqual([]);
  });

  it("joins neighbouring words, but never an article or linking word", () => {
    expect(read("brave heart")).toEqual(["typed: brave heart", "joined: braveheart"]);
    expect(read("wall e")).toContain("joined: walle");
    expect(read("the m")).toEqual(["typed: the m"]);
    expect(read("lord of")).toEqual(["typed: lord of"]);
  });

  it("splits a sequel number typed onto its title word", () => {
    expect(read("terminator3")[0]).toBe("typed: terminator 3");
    expect(read("se7en")[0]).toBe("typed: se7en");
  });
});

describe("title variants: what a title is also indexed under", () => {
  it("writes numbers every way", () => {
    expect(romanValue("xiv")).toBe(14);
    expect(romanValue("mix")).toBeNull();
    expect(numberForms("ii")).toEqual(["2", "two"]);
    expect(numberForms("2")).toEqual(["ii", "two"]);
    expect(numberForms("eleven")).toEqual(["11", "xi"]);
    expect(numberForms("third")).toEqual(["3", "iii", "three"]);
    expect(numberForms("matrix")).toEqual([]);
    expect(variants("Rocky II")).toEqual(expect.arrayContaining(["2", "two"]));
  });

  it("joins words glued by punctuation, reads digits as letters, splits X2", () => {
    expect(variants("Spider-Man 2")).toContain("spiderman");
    expect(variants("WALL·E")).toContain("walle");
    expect(variants("E.T. the Extra-Terrestrial")).toEqual(
      expect.arrayContaining(["et", "extraterrestrial"]),
    );
    expect(variants("Se7en")).toContain("seven");
    expect(variants("X2: X-Men United")).toEqual(expect.arrayContaining(["x", "2", "xmen"]));
    // An apostrophe is not a join: "Schindler's" is already indexed as "schindlers".
    expect(variants("Schindler's List")).toEqual([]);
  });
});
