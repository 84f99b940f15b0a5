import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../listener-deps.ts";

/**
 * A workspace that uninstalls the app or revokes its tokens takes its members' data with it: every
 * member row of that team is deleted (the manifest subscribes to both events).
 */
export function registerEvents(app: App, deps: ListenerDeps): void {
  const forgetWorkspace = async (team: string | undefined, reason: string) => {
    if (!team) return;
    try {
      const rows = await deps.taste.forgetWorkspace("slack", team);
      deps.logger.info({ rows, reason }, "workspace's members forgotten");
    } catch (error) {
      // Slack retries an event that was not acknowledged in time, but Bolt has acknowledged it:
      // the log is where a failed deletion shows.
      deps.logger.error({ reason, err: (error as Error).message }, "could not forget a workspace");
    }
  };
  app.event("app_uninstalled", async ({ body }) =>
    forgetWorkspace(body.team_id, "app_uninstalled"),
  );
  app.event("tokens_revoked", async ({ body, event }) => {
    // Only the bot's token going means the app is gone; a user revoking their own token is not.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forgetWorkspace(body.team_id, "tokens_revoked");
  });
}
