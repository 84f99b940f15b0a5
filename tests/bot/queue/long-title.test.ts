import { afterEach, expect, it } from "vitest";
import { startAppWithSlack } from "../../support/app-with-slack.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { sendCommand } from "../slack/support/signed-requests.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, uniqueQueueName } from "./fixtures/jobs.ts";
import { tinyCore } from "./fixtures/tiny-core.ts";

// A typed title longer than the old job schema's 200 characters: accepted by the Slack command,
// it used to be refused by BullMQ's payload check alone, so with REDIS_URL the user got "Sorry, I
// couldn't start on that" while the same command without Redis worked. One request model now.
const LONG_TITLE = `Heat ${"and the longest subtitle anyone ever typed ".repeat(6)}`.trim();

const redis = await requireRedis();

describeWith(redis)("/recommend with a title over 200 characters", () => {
  const queueName = uniqueQueueName("long-title");

  afterEach(() => cleanUp(queueName));

  async function replyTo(env: Record<string, string>, path: string): Promise<string> {
    const { base, slack, close } = await startAppWithSlack(env, { core: tinyCore() });
    try {
      const response = await sendCommand(`${base}/slack/events`, LONG_TITLE, `${slack.url}${path}`);
      expect(response.status).toBe(200);
      await eventually(
        () => slack.requests.some((r) => r.url === path),
        "the reply at response_url",
      );
      return slack.requests.find((r) => r.url === path)?.body ?? "";
    } finally {
      await close();
    }
  }

  it("is answered through the BullMQ queue exactly as without Redis", async () => {
    expect(LONG_TITLE.length).toBeGreaterThan(200);
    const withRedis = await replyTo({ REDIS_URL, QUEUE_NAME: queueName }, "/respond/redis");
    expect(withRedis).not.toContain("Sorry");
    expect(withRedis).toContain("Couldn't find");
    const inProcess = await replyTo({}, "/respond/in-process");
    // Each answer's cards are kept for Share under an id of its own; everything else is the same.
    const sameBut = (body: string) =>
      body.replace(/("action_id":"share_to_channel".*?"value":")[A-Za-z0-9_-]{16}"/, '$1<id>"');
    expect(withRedis).toContain("share_to_channel");
    expect(sameBut(withRedis)).toBe(sameBut(inProcess));
  });
});
