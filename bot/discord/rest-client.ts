import { REST } from "@discordjs/rest";

export interface DiscordRestOptions {
  /** Needed for application routes (command registration); interaction webhooks need none. */
  botToken?: string;
  /** REST base (DISCORD_API_URL), for tests and proxies; the library's default otherwise. */
  apiUrl?: string;
  /** Retries of 5xx and timeouts inside @discordjs/rest (it also waits out 429s by itself). */
  retries?: number;
  timeoutMs?: number;
}

/** The one way we build a REST client, so every call gets @discordjs/rest's rate-limit handling. */
export function createDiscordRest(options: DiscordRestOptions = {}): REST {
  const rest = new REST({
    version: "10",
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  if (options.botToken) rest.setToken(options.botToken);
  return rest;
}
