import { describe, expect, it } from "vitest";
import { MovieNightError } from "../../../core/movienight/movie-night.ts";
import {
  cronPattern,
  nextOccurrence,
  occurrenceAtOrBefore,
  parseWeeklyTime,
} from "../../../core/movienight/weekly-schedule.ts";

const friday19Zurich = parseWeeklyTime(["fri", "19:00", "Europe/Zurich"]);

describe("weekly schedule", () => {
  it("parses a weekday, a 24-hour time and an IANA zone", () => {
    expect(friday19Zurich).toEqual({ weekday: 5, time: "19:00", timeZone: "Europe/Zurich" });
    expect(parseWeeklyTime(["Sunday", "7:05", "America/New_York"])).toEqual({
      weekday: 0,
      time: "07:05",
      timeZone: "America/New_York",
    });
    expect(cronPattern(friday19Zurich)).toBe("0 19 * * 5");
  });

  it.each([
    [["fri"]],
    [["funday", "19:00", "Europe/Zurich"]],
    [["fri", "25:00", "Europe/Zurich"]],
    [["fri", "19:00", "Mars/Olympus"]],
    [["fri", "19:00", "Europe/Zurich", "extra"]],
  ])("answers %j with how to say it", (words) => {
    expect(() => parseWeeklyTime(words)).toThrow(MovieNightError);
    expect(() => parseWeeklyTime(words)).toThrow(/schedule fri 19:00 Europe\/Zurich/);
  });

  it("keeps 19:00 local across the last Sunday of March (CET → CEST)", () => {
    // Friday 2026-03-27 is before the change (UTC+1), Friday 2026-04-03 after it (UTC+2).
    const before = nextOccurrence(friday19Zurich, Date.parse("2026-03-23T00:00:00Z"));
    expect(new Date(before).toISOString()).toBe("2026-03-27T18:00:00.000Z");
    const after = nextOccurrence(friday19Zurich, before);
    expect(new Date(after).toISOString()).toBe("2026-04-03T17:00:00.000Z");
    expect(after - before).toBe(7 * 24 * 3_600_000 - 3_600_000);
  });

  it("keeps 19:00 local across the last Sunday of October (CEST → CET)", () => {
    const before = nextOccurrence(friday19Zurich, Date.parse("2026-10-19T00:00:00Z"));
    expect(new Date(before).toISOString()).toBe("2026-10-23T17:00:00.000Z");
    const after = nextOccurrence(friday19Zurich, before);
    expect(new Date(after).toISOString()).toBe("2026-10-30T18:00:00.000Z");
  });

  it("maps a run to its occurrence, also a little early or late", () => {
    const at = Date.parse("2026-04-03T17:00:00Z");
    expect(occurrenceAtOrBefore(friday19Zurich, at)).toBe(at);
    expect(occurrenceAtOrBefore(friday19Zurich, at - 500)).toBe(at);
    expect(occurrenceAtOrBefore(friday19Zurich, at + 10 * 60_000)).toBe(at);
  });
});
