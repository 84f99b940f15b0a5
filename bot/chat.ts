import type { Router } from "express";
import type { Logger } from "pino";
import type { JobQueue } from "../core/jobs/job.ts";
import type { Deliverers } from "../core/jobs/run-job.ts";
import type { Core } from "./compose.ts";
import type { Config } from "./config.ts";
import { DiscordDeliverer } from "./discord/discord-deliverer.ts";
import { DiscordGateway } from "./discord/gateway-transport.ts";
import { createDiscordRouter } from "./discord/http-transport.ts";
import { createDiscordRest } from "./discord/rest-client.ts";
import { createSlackApp } from "./slack/slack-app.ts";
import { SlackDeliverer } from "./slack/slack-deliverer.ts";
import { slackSettings } from "./slack/slack-settings.ts";

/** Where finished jobs are sent: each platform's response_url / interaction webhook. No bot secrets needed. */
export function createDeliverers(config: Config): Deliverers {
  return {
    slack: new SlackDeliverer(),
    // Interaction webhooks take the interaction token, not the bot token.
    discord: new DiscordDeliverer({ rest: createDiscordRest({ apiUrl: config.DISCORD_API_URL }) }),
  };
}

export interface ChatSurfaces {
  /** HTTP routes: POST /slack/events and POST /discord/interactions, for the platforms that are on. */
  routers: Router[];
  stop(): Promise<void>;
}

/** Starts Slack and Discord when their settings are present; each is off otherwise. */
export async function startChat(
  config: Config,
  core: Core,
  jobs: JobQueue,
  logger: Logger,
): Promise<ChatSurfaces> {
  const routers: Router[] = [];
  const stops: (() => Promise<void>)[] = [];
  const { cards, search } = core;

  const slackConfig = slackSettings(config);
  if (slackConfig) {
    const slack = createSlackApp({
      ...slackConfig,
      cards,
      search,
      jobs,
      taste: core.members,
      logger,
    });
    await slack.start();
    if (slack.router) routers.push(slack.router);
    stops.push(() => slack.stop());
  } else logger.info("Slack off: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN unset");

  const { DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY, DISCORD_BOT_TOKEN } = config;
  if (
    DISCORD_APPLICATION_ID &&
    DISCORD_BOT_TOKEN &&
    (DISCORD_PUBLIC_KEY || config.DISCORD_MODE === "gateway")
  ) {
    const common = {
      botToken: DISCORD_BOT_TOKEN,
      apiUrl: config.DISCORD_API_URL,
      cards,
      search,
      jobs,
      taste: core.members,
      logger,
    };
    if (config.DISCORD_MODE === "gateway") {
      const gateway = new DiscordGateway(common);
      await gateway.start();
      stops.push(() => gateway.stop());
    } else {
      routers.push(
        createDiscordRouter({
          ...common,
          applicationId: DISCORD_APPLICATION_ID,
          publicKey: DISCORD_PUBLIC_KEY as string,
        }),
      );
    }
    logger.info({ mode: config.DISCORD_MODE }, "Discord on");
  } else
    logger.info(
      "Discord off: DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY or DISCORD_BOT_TOKEN unset",
    );

  return {
    routers,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
