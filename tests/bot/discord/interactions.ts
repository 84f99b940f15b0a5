import type { APIEmbed } from "discord-api-types/v10";

/** Interaction payloads shaped as Discord sends them (trimmed to the fields Discord always sets). */
export const APP_ID = "111111111111111111";
let counter = 0;

/** The fields Discord sets on every interaction, from ada in a guild channel. */
export function base(type: number) {
  counter += 1;
  return {
    id: `9000000000000${String(counter).padStart(5, "0")}`,
    application_id: APP_ID,
    type,
    token: `interaction-token-${counter}`,
    version: 1,
    channel_id: "222222222222222222",
    channel: { id: "222222222222222222", type: 0 },
    guild_id: "333333333333333333",
    member: {
      user: { id: "444444444444444444", username: "ada", discriminator: "0", avatar: null },
      roles: [],
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
      permissions: "0",
    },
    app_permissions: "0",
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 8388608,
  };
}

export const ping = () => ({ ...base(1), member: undefined, guild_id: undefined });

export function command(name: string, options: Record<string, string> = {}) {
  return {
    ...base(2),
    data: {
      id: "555555555555555555",
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    },
  };
}

export function autocomplete(name: string, focused: string, options: Record<string, string>) {
  return {
    ...base(4),
    data: {
      id: "555555555555555555",
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({
        name: n,
        type: 3,
        value,
        ...(n === focused ? { focused: true } : {}),
      })),
    },
  };
}

/** The bot's message a component sits on (type 20: a command's reply; 0: a channel post). */
export function message(embeds: APIEmbed[], ephemeral: boolean, type = 20) {
  return {
    id: "666666666666666666",
    channel_id: "222222222222222222",
    author: { id: APP_ID, username: "moviebot", discriminator: "0", avatar: null, bot: true },
    content: "",
    timestamp: "2024-01-01T00:00:00.000Z",
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds,
    pinned: false,
    type,
    flags: ephemeral ? 64 : 0,
    components: [],
  };
}

export function select(customId: string, values: string[], embeds: APIEmbed[] = []) {
  return {
    ...base(3),
    message: message(embeds, true),
    data: { custom_id: customId, component_type: 3, values },
  };
}

export function button(customId: string, embeds: APIEmbed[] = []) {
  return {
    ...base(3),
    message: message(embeds, true),
    data: { custom_id: customId, component_type: 2 },
  };
}
