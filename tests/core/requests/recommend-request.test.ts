import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../core/errors.ts";
import { parseJob } from "../../../core/jobs/job-schema.ts";
import {
  MAX_PICKS,
  MAX_TEXT_LENGTH,
  parseMovieId,
  parseRequest,
  splitTitles,
} from "../../../core/requests/recommend-request.ts";

const recommend = (over: Record<string, unknown> = {}) => ({
  name: "recommend",
  liked: [],
  titles: [],
  limit: 8,
  ...over,
});

describe("the request model", () => {
  it("accepts what any door accepts, and the queue takes the same request", () => {
    const long = "x".repeat(MAX_TEXT_LENGTH);
    const request = parseRequest(recommend({ titles: [long], liked: [2571] }));
    const job = parseJob({
      id: "j1",
      request,
      reply: {
        platform: "slack",
        responseUrl: "http://127.0.0.1/r",
        responseType: "ephemeral",
        replaceOriginal: false,
      },
      receivedAt: 1,
    });
    expect(job.request).toEqual(request);
  });

  it("counts picked ids and typed titles against one limit, with a message for the user", () => {
    const liked = Array.from({ length: 20 }, (_, i) => i + 1);
    const titles = Array.from({ length: 6 }, (_, i) => `movie ${i}`);
    expect(() => parseRequest(recommend({ liked, titles }))).toThrow(InvalidInputError);
    expect(() => parseRequest(recommend({ liked, titles }))).toThrow(`at most ${MAX_PICKS}`);
    expect(() => parseRequest(recommend({ limit: 51 }))).toThrow("Limit must be between 1 and 50.");
    expect(() => parseRequest(recommend({ titles: ["   "] }))).toThrow("A title cannot be empty.");
  });

  it("splits typed text into titles once, for Slack and the CLI alike", () => {
    expect(splitTitles("Heat, toy story;\nHEAT,  The   Matrix ")).toEqual([
      "Heat",
      "toy story",
      "The Matrix",
    ]);
    expect(() => splitTitles("a".repeat(MAX_TEXT_LENGTH + 1))).toThrow("please keep it under");
    expect(() => splitTitles(Array.from({ length: 26 }, (_, i) => `m${i}`).join(","))).toThrow(
      "at most 25",
    );
  });

  it("reads movie ids from menu and button values, nothing else", () => {
    expect(parseMovieId("2571")).toBe(2571);
    for (const bad of ["", "0", "-1", "1e3", "12a", "1234567890", undefined]) {
      expect(parseMovieId(bad)).toBeNull();
    }
  });
});
