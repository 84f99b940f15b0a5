import { describe, expect, it } from "vitest";
import { decodeShareValue, encodeShareValue } from "../../../bot/slack/slack-ids.ts";
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

describe("button values", () => {
  it("round-trips a share request and rejects anything else", () => {
    const recommend: JobRequest = { name: "recommend", liked: [1, 6], titles: ["Heat"], limit: 8 };
    expect(decodeShareValue(encodeShareValue(recommend) ?? "")).toEqual(recommend);
    expect(decodeShareValue("not json")).toBeNull();
    expect(decodeShareValue('{"name":"recommend","liked":[-1],"titles":[],"limit":8}')).toBeNull();
    expect(decodeShareValue('{"name":"popular","limit":100000}')).toBeNull();
  });

  it("leaves out a share button whose request would not fit in 2000 characters", () => {
    const titles = Array.from({ length: 25 }, () => '"'.repeat(100));
    expect(encodeShareValue({ name: "recommend", liked: [], titles, limit: 8 })).toBeNull();
  });

  it("reads movie ids strictly", () => {
    expect(parseMovieId("2571")).toBe(2571);
    for (const bad of ["", "0", "-1", "1.5", "12abc", "9999999999", undefined]) {
      expect(parseMovieId(bad)).toBeNull();
    }
  });
});
