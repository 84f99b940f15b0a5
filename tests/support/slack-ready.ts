/**
 * Waits until `npm start`'s Slack routes serve: Slack starts in the background (auth.test against
 * the stand-in), and /slack/events answers 503 until then.
 */
export async function slackServing(base: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/slack/events`, { method: "POST" });
    await response.arrayBuffer();
    if (response.status !== 503) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("Slack never started serving /slack/events");
}
