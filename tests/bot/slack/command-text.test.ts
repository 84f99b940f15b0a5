import { describe, expect, it } from "vitest";
import { parseCommandText } from "../../../bot/slack/listeners/commands/recommend-command.ts";

describe("/recommend text", () => {
  it("reads the keywords, whatever the case and spacing", () => {
    expect(parseCommandText("")).toEqual({ kind: "picker" });
    expect(parseCommandText(undefined)).toEqual({ kind: "picker" });
    expect(parseCommandText("  ,; \n")).toEqual({ kind: "picker" });
    expect(parseCommandText(" Help ")).toEqual({ kind: "help" });
    expect(parseCommandText("POPULAR")).toEqual({ kind: "popular" });
  });

  it("splits titles on commas, semicolons and new lines, dropping blanks and repeats", () => {
    expect(parseCommandText("Toy Story, Heat 1995;The  Matrix\nheat 1995,,")).toEqual({
      kind: "titles",
      titles: ["Toy Story", "Heat 1995", "The Matrix"],
    });
  });

  it("refuses more than 25 titles and more than 1000 characters with a clear message", () => {
    const many = parseCommandText(Array.from({ length: 26 }, (_, i) => `t${i}`).join(","));
    expect(many).toEqual({ kind: "invalid", message: expect.stringContaining("at most 25") });
    const long = parseCommandText("x".repeat(4000));
    expect(long).toEqual({
      kind: "invalid",
      message: expect.stringContaining("That is 4000 characters"),
    });
  });
});
