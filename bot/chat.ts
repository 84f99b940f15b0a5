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
    slack: new SlackDeliverer({ allowedOrigins: config.SLACK_RESPONSE_URL_ORIGINS }),
    // Interaction webhooks take the interaction token, not the bot token.
    discord: new DiscordDeliverer({ rest: createDiscordRest({ apiUrl: config.DISCORD_API_URL }) }),
  };
}

export interface ChatSurfaces {
  /** HTTP routes: POST /slack/events and POST /discord/interactions, for the platforms that are on. */
  routers: Router[];
  /** What is on, for the ready line: "Slack (http)", "Discord (gateway)". */
  on: string[];
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
  const on: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const { cards, search } = core;

  const slackConfig = slackSettings(config);
  if (slackConfig) {
    const slack = createSlackApp({ ...slackConfig, cards, search, jobs, logger });
    // Slack being unreachable must not keep the API and Discord from serving: its routes answer
    // 503 until auth.test succeeds, retried in the background.
    void slack.startInBackground();
    if (slack.router) routers.push(slack.router);
    stops.push(() => slack.stop());
    on.push(`Slack (${slackConfig.appToken ? "socket" : "http"})`);
  } else logger.debug("Slack off: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN unset");

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
    on.push(`Discord (${config.DISCORD_MODE})`);
  } else
    logger.debug(
      "Discord off: DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY or DISCORD_BOT_TOKEN unset",
    );

  return {
    routers,
    on,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
