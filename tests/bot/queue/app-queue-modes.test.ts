import { afterEach, expect, it } from "vitest";
import { type AppWithSlack, startAppWithSlack } from "../../support/app-with-slack.ts";
import { describeWith, requireRedis } from "../../support/requirements.ts";
import { sendCommand } from "../slack/support/signed-requests.ts";
import { cleanUp, eventually } from "./fixtures/harness.ts";
import { REDIS_URL, uniqueQueueName } from "./fixtures/jobs.ts";
import { tinyCore } from "./fixtures/tiny-core.ts";

// The `npm start` root in each queue mode, driven by a signed Slack command: with Redis and
// RUN_WORKER=false the job waits for the worker service; without Redis it runs in-process.
const redis = await requireRedis();

describeWith(redis)("npm start: the job queue each setting builds", () => {
  const queueName = uniqueQueueName("modes");
  let running: AppWithSlack | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
    await cleanUp(queueName);
  });

  const start = async (env: Record<string, string>) => {
    running = await startAppWithSlack(env, { core: tinyCore() });
    return running;
  };

  it("with RUN_WORKER=false only enqueues: the job waits in Redis for the worker service", async () => {
    const { base, slack } = await start({ REDIS_URL, RUN_WORKER: "false", QUEUE_NAME: queueName });
    const response = await sendCommand(`${base}/slack/events`, "heat", `${slack.url}/respond/w`);
    expect(response.status).toBe(200);
    await eventually(
      async () =>
        (await (await fetch(`${base}/metrics`)).text()).includes(
          'moviebot_queue_jobs{state="waiting"} 1',
        ),
      "one job waiting at /metrics",
    );
    expect(slack.requests.some((r) => r.url === "/respond/w")).toBe(false);
  });

  it("without REDIS_URL runs jobs in-process", async () => {
    const { base, slack } = await start({});
    await sendCommand(`${base}/slack/events`, "heat", `${slack.url}/respond/i`);
    await eventually(
      () => slack.requests.some((r) => r.url === "/respond/i"),
      "the reply at response_url",
    );
    expect(slack.requests.find((r) => r.url === "/respond/i")?.body).toContain("Movies");
  });
});
