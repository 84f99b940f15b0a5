import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, JobQueue } from "../../../core/jobs/job.ts";
import { FakeRecommender, FakeSearch } from "../../support/fakes.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import {
  buttonClick,
  commandBody,
  type SendOptions,
  sendCommand,
  sendPayload,
  sign,
} from "./support/signed-requests.ts";

describe("requests Slack did not sign", () => {
  let h: Harness;
  const search = new FakeSearch();
  beforeAll(async () => {
    h = await startHarness({ search });
  });
  afterAll(async () => {
    await h.close();
  });

  const cases: Array<[string, SendOptions]> = [
    ["a wrong signature", { secret: "not-the-signing-secret" }],
    ["a replayed request older than 5 minutes", { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ["no signature headers", { unsigned: true }],
    ["a body changed after signing", { tamper: (body) => `${body}&tampered=1` }],
  ];
  for (const [name, options] of cases) {
    it(`rejects ${name} with 401 and processes nothing`, async () => {
      const command = await sendCommand(h.url, "Heat", h.slack.responseUrl("x"), options);
      expect(command.status).toBe(401);
      expect(await command.json()).toMatchObject({
        code: expect.stringMatching(/^(bad_signature|stale_timestamp)$/),
      });
      const click = await sendPayload(
        h.url,
        buttonClick("popular_picks", "popular", h.slack.responseUrl("x")),
        options,
      );
      expect(click.status).toBe(401);
      expect(h.submitted).toHaveLength(0);
      expect(search.calls).toHaveLength(0);
    });
  }

  it("accepts the same replayed body once re-signed with a fresh timestamp", async () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = commandBody("help", h.slack.responseUrl("fresh"));
    const res = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(body, ts),
      },
      body,
    });
    expect(res.status).toBe(200);
  });
});

describe("Slack's retries", () => {
  it("a retried command is acknowledged and dropped: no second picker", async () => {
    const h = await startHarness();
    try {
      const retry = await sendCommand(h.url, "", h.slack.responseUrl("r"), { retryNum: 1 });
      expect(retry.status).toBe(200);
      expect(await retry.text()).toBe("");
    } finally {
      await h.close();
    }
  });

  it("a command delivered twice is answered once", async () => {
    const h = await startHarness();
    try {
      const body = commandBody("Heat", h.slack.responseUrl("twice"));
      const post = (retryNum?: number) => {
        const ts = Math.floor(Date.now() / 1000);
        return fetch(h.url, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": String(ts),
            "x-slack-signature": sign(body, ts),
            ...(retryNum ? { "x-slack-retry-num": String(retryNum) } : {}),
          },
          body,
        });
      };
      expect((await post()).status).toBe(200);
      expect((await post(1)).status).toBe(200);
      // The same body without the header (a proxy that strips it) is caught by the job id.
      expect((await post()).status).toBe(200);
      await h.slack.waitForReplies("twice");
      // A later command's reply arriving proves the queue has drained past the duplicates.
      await sendCommand(h.url, "popular", h.slack.responseUrl("after"));
      await h.slack.waitForReplies("after");
      expect(h.slack.repliesTo("twice")).toHaveLength(1);
      expect(h.submitted.filter((j) => j.reply.platform === "slack")).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});

describe("failures after the acknowledgement", () => {
  it("a failing core becomes an apology at response_url", async () => {
    const h = await startHarness({
      recommender: Object.assign(new FakeRecommender(), { fail: true }),
    });
    try {
      const res = await sendCommand(h.url, "Heat", h.slack.responseUrl("broken"));
      expect(res.status).toBe(200);
      const [reply] = await h.slack.waitForReplies("broken");
      expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(reply?.text).toContain("Sorry, something went wrong");
    } finally {
      await h.close();
    }
  });

  it("a popular request for the channel apologises to the asker only", async () => {
    const h = await startHarness({
      recommender: Object.assign(new FakeRecommender(), { fail: true }),
    });
    try {
      await sendCommand(h.url, "popular", h.slack.responseUrl("broken-pop"));
      const [reply] = await h.slack.waitForReplies("broken-pop");
      expect(reply?.response_type).toBe("ephemeral");
    } finally {
      await h.close();
    }
  });

  it("a queue that refuses the job becomes an apology too", async () => {
    const refusing: JobQueue = {
      submit: async (_job: Job) => {
        throw new Error("redis is down");
      },
      close: async () => {},
    };
    const h = await startHarness({ jobs: refusing });
    try {
      await sendPayload(h.url, buttonClick("popular_picks", "popular", h.slack.responseUrl("q")));
      const [reply] = await h.slack.waitForReplies("q");
      expect(reply?.text).toContain("couldn't start on that");
    } finally {
      await h.close();
    }
  });
});
