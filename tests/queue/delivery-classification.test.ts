import { describe, expect, it } from "vitest";
import {
  PermanentDeliveryError as DiscordPermanent,
  TransientDeliveryError as DiscordTransient,
  ExpiredInteractionError,
} from "../../bot/discord/delivery-errors.ts";
import {
  PermanentDeliveryError as SlackPermanent,
  TransientDeliveryError as SlackTransient,
} from "../../bot/slack/slack-deliverer.ts";
import {
  classifyDeliveryFailure,
  deliveryErrorForStatus,
} from "../../core/jobs/delivery-errors.ts";

describe("classifyDeliveryFailure: the worker reads every adapter's errors alike", () => {
  it("retries Slack 5xx and 429, honouring retry-after", () => {
    expect(classifyDeliveryFailure(new SlackTransient("503", 503))).toEqual({
      kind: "transient",
      retryAfterMs: undefined,
    });
    expect(classifyDeliveryFailure(new SlackTransient("429", 429, 3000))).toEqual({
      kind: "transient",
      retryAfterMs: 3000,
    });
  });

  it("gives up on a Slack response_url that expired or was used up, without apologising", () => {
    expect(
      classifyDeliveryFailure(new SlackPermanent("response_url answered 404 (expired_url)", 404)),
    ).toEqual({
      kind: "permanent",
      targetGone: true,
    });
    expect(
      classifyDeliveryFailure(new SlackPermanent("response_url refused: invalid_blocks", 200)),
    ).toEqual({
      kind: "permanent",
      targetGone: false,
    });
  });

  it("retries Discord rate limits and gives up on an expired interaction token", () => {
    expect(classifyDeliveryFailure(new DiscordTransient("rate", 429, 1500))).toEqual({
      kind: "transient",
      retryAfterMs: 1500,
    });
    expect(classifyDeliveryFailure(new ExpiredInteractionError("Unknown Webhook", 404))).toEqual({
      kind: "permanent",
      targetGone: true,
    });
    expect(classifyDeliveryFailure(new DiscordPermanent("Discord answered 400", 400))).toEqual({
      kind: "permanent",
      targetGone: false,
    });
  });

  it("treats unknown errors as transient and maps raw statuses", () => {
    expect(classifyDeliveryFailure(new TypeError("fetch failed")).kind).toBe("transient");
    expect(classifyDeliveryFailure(deliveryErrorForStatus(502, "bad gateway")).kind).toBe(
      "transient",
    );
    expect(classifyDeliveryFailure(deliveryErrorForStatus(429, "slow", "2"))).toEqual({
      kind: "transient",
      retryAfterMs: 2000,
    });
    expect(classifyDeliveryFailure(deliveryErrorForStatus(404, "gone"))).toEqual({
      kind: "permanent",
      targetGone: true,
    });
  });
});
