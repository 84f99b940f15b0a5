import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLACK_EVENTS_PATH } from "../../../bot/slack/slack-app.ts";

const manifestPath = resolve(import.meta.dirname, "../../../manifests/slack-app.yaml");

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string; should_escape?: boolean }> };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
    event_subscriptions?: unknown;
  };
}

describe("manifests/slack-app.yaml", () => {
  const manifest = parse(readFileSync(manifestPath, "utf8")) as Manifest;
  const endpoint = `https://YOUR-SERVICE${SLACK_EVENTS_PATH}`;

  it("registers /recommend and /movienight at the endpoint the app serves", () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: "/recommend", url: endpoint, should_escape: false }),
      // Escaped, so a named member arrives as <@U123|name>: an id, not a display name.
      expect.objectContaining({ command: "/movienight", url: endpoint, should_escape: true }),
    ]);
  });

  it("sends buttons and picker options to the same endpoint", () => {
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: endpoint,
      message_menu_options_url: endpoint,
    });
  });

  it("asks for commands and chat:write (movie nights post after the interaction), over HTTP", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write"]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("hears when a workspace uninstalls the app, to delete its members (no extra scope needed)", () => {
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: endpoint,
      bot_events: ["app_uninstalled", "tokens_revoked"],
    });
  });
});
