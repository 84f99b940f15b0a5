import { createHmac } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret-not-real";

export interface SendOptions {
  secret?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  /** Leave out X-Slack-Signature and X-Slack-Request-Timestamp. */
  unsigned?: boolean;
  /** Change the body after signing (a tampered request). */
  tamper?: (body: string) => string;
}

/** Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`. */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

async function send(url: string, body: string, options: SendOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (!options.unsigned) {
    headers["x-slack-request-timestamp"] = String(timestamp);
    headers["x-slack-signature"] = sign(body, timestamp, options.secret);
  }
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  return fetch(url, {
    method: "POST",
    headers,
    body: options.tamper ? options.tamper(body) : body,
  });
}

let triggerSeq = 0;
export const nextTrigger = () => `${Date.now()}.${++triggerSeq}.abcdef`;

/** A slash command as Slack posts it: form fields. */
export function commandBody(text: string, responseUrl: string, triggerId = nextTrigger()): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T1",
    team_domain: "moviebot-test",
    channel_id: "C1",
    channel_name: "movies",
    user_id: "U1",
    user_name: "ada",
    command: "/recommend",
    text,
    api_app_id: "A1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

export function sendCommand(
  url: string,
  text: string,
  responseUrl: string,
  options: SendOptions = {},
) {
  return send(url, commandBody(text, responseUrl), options);
}

/** Any form body (a slash command built elsewhere), signed as Slack signs it. */
export function sendForm(url: string, body: string, options: SendOptions = {}) {
  return send(url, body, options);
}

/** Interactivity and options requests: JSON in a form field named payload. */
export function sendPayload(url: string, payload: unknown, options: SendOptions = {}) {
  return send(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
}

const base = {
  team: { id: "T1", domain: "moviebot-test" },
  user: { id: "U1", username: "ada", name: "ada", team_id: "T1" },
  api_app_id: "A1",
  token: "legacy-verification-token",
};

/** block_suggestion, as sent for a multi_external_select in a message. */
export function blockSuggestion(value: string, actionId = "pick_movies") {
  return {
    ...base,
    type: "block_suggestion",
    action_id: actionId,
    block_id: "movie_picker",
    value,
    container: {
      type: "message",
      message_ts: "1700000000.000100",
      channel_id: "C1",
      is_ephemeral: true,
    },
    channel: { id: "C1", name: "movies" },
  };
}

/** block_actions for a button in an ephemeral message, with the picker's state. */
export function buttonClick(
  actionId: string,
  value: string,
  responseUrl: string,
  selected: number[] = [],
  blockId = "picker_buttons",
) {
  return {
    ...base,
    type: "block_actions",
    trigger_id: nextTrigger(),
    container: {
      type: "message",
      message_ts: "1700000000.000100",
      channel_id: "C1",
      is_ephemeral: true,
    },
    channel: { id: "C1", name: "movies" },
    response_url: responseUrl,
    state: {
      values: {
        movie_picker: {
          pick_movies: {
            type: "multi_external_select",
            selected_options: selected.map((id) => ({
              text: { type: "plain_text", text: `Movie ${id}`, emoji: true },
              value: String(id),
            })),
          },
        },
      },
    },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: blockId,
        text: { type: "plain_text", text: "Button", emoji: true },
        value,
        action_ts: "1700000001.000200",
      },
    ],
  };
}
