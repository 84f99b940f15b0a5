import { describe, expect, it } from "vitest";
import { parseRegionInput, parseServicesInput, watchPrefs } from "../../bot/watch-prefs.ts";
import { providerLine } from "../../bot/watch-text.ts";
import { preferServices, regionFromLocale } from "../../core/watch/watch-source.ts";
import { watchFixture } from "../support/watch-cards.ts";

describe("where-to-watch preferences", () => {
  it("takes a default region from a locale only where it names a country", () => {
    expect(regionFromLocale("pt-BR")).toBe("BR");
    expect(regionFromLocale("en-US")).toBe("US");
    expect(regionFromLocale("zh-TW")).toBe("TW");
    expect(regionFromLocale("fr")).toBeNull();
    expect(regionFromLocale("es-419")).toBeNull();
    expect(regionFromLocale(undefined)).toBeNull();
  });

  it("prefers the member's own region over the locale's, and carries services", () => {
    expect(watchPrefs({ region: null, services: [] }, { locale: "pt-BR" })).toEqual({
      region: "BR",
    });
    expect(
      watchPrefs({ region: "CH", services: ["Max"] }, { locale: "pt-BR", onlyMine: true }),
    ).toEqual({
      region: "CH",
      services: ["Max"],
      onlyMine: true,
    });
    expect(watchPrefs({ region: null, services: [] })).toEqual({});
  });

  it("reads region and services as members type them", () => {
    expect(parseRegionInput(" ch ")).toEqual({ kind: "set", region: "CH" });
    expect(parseRegionInput("")).toEqual({ kind: "show" });
    expect(parseRegionInput("CHE")).toEqual({ kind: "invalid" });
    expect(parseServicesInput("Netflix, disney+; Disney Plus")).toEqual({
      kind: "set",
      services: ["Netflix", "disney+"],
    });
    expect(parseServicesInput("none")).toEqual({ kind: "set", services: [] });
    expect(
      parseServicesInput(Array.from({ length: 21 }, (_, i) => `S${i}`).join(",")),
    ).toMatchObject({
      kind: "invalid",
    });
  });

  it("lists the member's services first, matching names loosely", () => {
    const providers = [
      { name: "Netflix", logoUrl: null },
      { name: "Disney Plus", logoUrl: null },
      { name: "Max", logoUrl: null },
    ];
    expect(preferServices(providers, ["disney+", "max"]).map((p) => p.name)).toEqual([
      "Disney Plus",
      "Max",
      "Netflix",
    ]);
  });

  it("fits the provider line in its room, counting the names it leaves out", () => {
    const watch = watchFixture("CH", 20, 30);
    const line = providerLine(watch, 120);
    expect(line.length).toBeLessThanOrEqual(120);
    expect(line).toMatch(/^Stream: Stream 0 .+ \+\d+/);
    const same = { ...watchFixture("CH", 1), buy: watchFixture("CH", 1).rent };
    expect(providerLine(same, 200)).toBe("Stream: Stream 0 xxx · Rent or buy: Rent 0 xxxxx");
  });
});
