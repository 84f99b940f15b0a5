import { describe, expect, it } from "vitest";
import { jobFor } from "../../../bot/slack/slack-jobs.ts";
import type { JobRequest } from "../../../core/jobs/job.ts";
import { parseMovieId } from "../../../core/requests/recommend-request.ts";

const request: JobRequest = { name: "popular", limit: 5 };
const style = { responseType: "in_channel", replaceOriginal: false } as const;

describe("jobs from Slack interactions", () => {
  it("derives the id from trigger_id, so a redelivered interaction is the same job", () => {
    const a = jobFor({ trigger_id: "123.456", response_url: "https://r/1" }, request, style, 1);
    const b = jobFor({ trigger_id: "123.456", response_url: "https://r/1" }, request, style, 2);
    expect(a?.id).toBe("slack:123.456");
    expect(b?.id).toBe(a?.id);
    expect(a).toMatchObject({
      request,
      receivedAt: 1,
      reply: { platform: "slack", responseUrl: "https://r/1", responseType: "in_channel" },
    });
  });

  it("without trigger_id, hashes what identifies the request", () => {
    const one = jobFor({ response_url: "https://r/1", user: "U1" }, request, style);
    const same = jobFor({ response_url: "https://r/1", user: "U1" }, request, style);
    const other = jobFor({ response_url: "https://r/2", user: "U1" }, request, style);
    expect(one?.id).toMatch(/^slack:[0-9a-f]{32}$/);
    expect(same?.id).toBe(one?.id);
    expect(other?.id).not.toBe(one?.id);
  });

  it("builds no job when Slack gave nowhere to answer", () => {
    expect(jobFor({ trigger_id: "1" }, request, style)).toBeNull();
  });
});

describe("movie ids in button values", () => {
  it("reads movie ids strictly", () => {
    expect(parseMovieId("2571")).toBe(2571);
    for (const bad of ["", "0", "-1", "1.5", "12abc", "9999999999", undefined]) {
      expect(parseMovieId(bad)).toBeNull();
    }
  });
});
