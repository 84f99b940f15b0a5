import { App } from "@slack/bolt";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { TASTE_ACTION } from "../../../../bot/slack/feedback-blocks.ts";
import { registerListeners } from "../../../../bot/slack/listeners/index.ts";
import { MEMBER_ACTIONS } from "../../../../bot/slack/member-blocks.ts";
import { NIGHT_ACTIONS } from "../../../../bot/slack/movienight-blocks.ts";
import { ACTIONS } from "../../../../bot/slack/slack-ids.ts";
import { SlackJobSubmitter } from "../../../../bot/slack/slack-jobs.ts";
import { MemorySharedCardsStore } from "../../../../core/cards/shared-cards-store.ts";
import { UnavailableTasteStore } from "../../../../core/members/unavailable-taste-store.ts";
import { FakeSearch, fakeCards } from "../../../support/fakes.ts";

const logger = pino({ level: "silent" });

describe("what the Slack listeners answer", () => {
  it("is read off the registrations, so the gate lets through every listener and nothing else", () => {
    const app = new App({ token: "xoxb-test", signingSecret: "s", deferInitialization: true });
    const listened = registerListeners(app, {
      cards: fakeCards(),
      search: new FakeSearch(),
      submitter: new SlackJobSubmitter({ submit: async () => {}, close: async () => {} }, logger),
      sharing: { store: new MemorySharedCardsStore({ ttlMs: 1000 }), logger },
      taste: new UnavailableTasteStore("none"),
      refreshMinutes: 1440,
      logger,
      optionsBudgetMs: 100,
      resultLimit: 5,
    });
    expect(listened.commands).toEqual(["/recommend", "/movienight"]);
    expect(listened.actions).toEqual(
      expect.arrayContaining([
        ...Object.values(ACTIONS),
        ...Object.values(MEMBER_ACTIONS),
        ...Object.values(NIGHT_ACTIONS),
        TASTE_ACTION,
      ]),
    );
    expect(listened.suggestions).toEqual([ACTIONS.pickMovies]);
  });
});
