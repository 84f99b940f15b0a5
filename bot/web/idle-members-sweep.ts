import type { Logger } from "pino";
import type { TasteStore } from "../../core/members/taste-store.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes web members not seen for SESSION_IDLE_DAYS: at start-up and then daily. Their cookie
 * has expired by then, so nobody can name them any more and forget me is out of their reach; the
 * sweep is what keeps docs/privacy.md's "deleted after the idle period" true. Slack and Discord
 * members have no idle expiry (their workspace's uninstall deletes them). A failed sweep is
 * logged and tried again at the next run.
 */
export function startIdleMembersSweep(deps: {
  store: TasteStore;
  idleDays: number;
  logger: Logger;
  /** Between sweeps; a day unless a test says otherwise. */
  everyMs?: number;
  now?: () => number;
}): { stop(): void; sweep(): Promise<number> } {
  const now = deps.now ?? Date.now;
  let running: Promise<number> | null = null;
  const sweep = (): Promise<number> => {
    running ??= (async () => {
      try {
        const members = await deps.store.forgetIdle("web", now() - deps.idleDays * DAY_MS);
        if (members > 0) deps.logger.info({ members }, "idle web members deleted");
        return members;
      } catch (error) {
        deps.logger.warn({ reason: (error as Error).message }, "idle web members not deleted");
        return 0;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), deps.everyMs ?? DAY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
