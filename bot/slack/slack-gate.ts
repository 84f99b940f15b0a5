import { createHmac, timingSafeEqual } from "node:crypto";
import express, { type RequestHandler, type Router } from "express";
import { methodNotAllowed, sendError } from "../http/http-errors.ts";
import { sendJson } from "../http/send-json.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

/**
 * POST /slack/events, where every Slack request enters: 503 until the app has started (Bolt
 * cannot authorise before auth.test), then the gate below, then Bolt's receiver, which hands the
 * request to the listener registered for it (bot/slack/listeners/).
 */
export function slackEventsRoute(
  options: SlackGateOptions & {
    /** Why Slack is not serving yet (starting, or off with a reason); null once it is ready. */
    notReady: () => { code: "slack_starting" | "slack_off"; message: string } | null;
    /** Bolt's ExpressReceiver router. */
    bolt: Router;
  },
): Router {
  const router = express.Router();
  router.post(
    SLACK_EVENTS_PATH,
    (_req, res, next) => {
      const problem = options.notReady();
      if (!problem) return next();
      res.set("Connection", "close");
      sendError(res, 503, problem.code, problem.message);
    },
    ...slackGate(options),
  );
  router.use(options.bolt);
  router.all(SLACK_EVENTS_PATH, methodNotAllowed("POST"));
  return router;
}

/**
 * What stands between the internet and Bolt on POST /slack/events. Bolt reads up to 4 MB before it
 * checks the signature, accepts timestamps from the future, and answers a signed payload it has no
 * listener for after a 3-second hang (or a 500 when a field is missing). Here, in order:
 * 1. a declared Content-Length over the cap is refused before a byte of the body is read, and a
 *    chunked body is cut off at the cap;
 * 2. the signature and its time window are checked (Slack's v0 HMAC over `v0:ts:body`);
 * 3. the signed body must have the shape a listener expects: anything else is a quick 400, and a
 *    well-formed request nobody listens for is acknowledged (200) and dropped, as Slack wants.
 * Bolt then reads the body already read here (req.rawBody) and checks the signature once more.
 */
export const SLACK_MAX_BODY_BYTES = 512 * 1024;
const MAX_AGE_S = 5 * 60;
const MAX_SKEW_S = 60;

export interface SlackGateOptions {
  signingSecret: string;
  /** Origins a response_url may point at (SLACK_RESPONSE_URL_ORIGINS). */
  responseUrlOrigins: readonly string[];
  /**
   * Slash commands, block_actions action_ids and block_suggestion action_ids with a listener
   * (what registerListeners recorded): names, or patterns.
   */
  commands: readonly (string | RegExp)[];
  actions: readonly (string | RegExp)[];
  suggestions: readonly (string | RegExp)[];
  maxBodyBytes?: number;
  now?: () => number;
}

type Verdict =
  | { kind: "pass" }
  | { kind: "ignore"; body?: unknown }
  | { kind: "reject"; message: string };

export function slackGate(options: SlackGateOptions): RequestHandler[] {
  const limit = options.maxBodyBytes ?? SLACK_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;

  const declaredSize: RequestHandler = (req, res, next) => {
    const declared = Number(req.get("content-length") ?? 0);
    if (declared > limit) {
      // Closing the connection spares reading the body just to keep the socket alive.
      res.set("Connection", "close");
      sendError(res, 413, "body_too_large", `Slack requests are at most ${limit / 1024} KB`);
      return;
    }
    next();
  };

  // Slack never compresses what it sends; the signature covers the bytes as sent.
  const read = express.raw({ type: () => true, limit, inflate: false });

  const check: RequestHandler = (req, res, next) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const problem = signatureProblem(
      options.signingSecret,
      req.get("x-slack-request-timestamp"),
      req.get("x-slack-signature"),
      body,
      Math.floor(now() / 1000),
    );
    if (problem) {
      sendError(res, 401, problem.code, problem.message);
      return;
    }
    const verdict = judge(body.toString("utf8"), req.get("content-type") ?? "", options);
    if (verdict.kind === "reject") {
      sendError(res, 400, "malformed_body", verdict.message);
      return;
    }
    if (verdict.kind === "ignore") {
      if (verdict.body === undefined) res.status(200).end();
      else sendJson(res, verdict.body);
      return;
    }
    // Bolt reads req.rawBody when present (as on Google Cloud Functions) instead of the stream.
    (req as typeof req & { rawBody: Buffer }).rawBody = body;
    next();
  };

  return [declaredSize, read, check];
}

function signatureProblem(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowS: number,
): { code: "bad_signature" | "stale_timestamp"; message: string } | null {
  if (!timestamp || !signature) {
    return {
      code: "bad_signature",
      message: "X-Slack-Signature and X-Slack-Request-Timestamp are required",
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { code: "stale_timestamp", message: "X-Slack-Request-Timestamp is not a number" };
  }
  const ts = Number(timestamp);
  if (ts < nowS - MAX_AGE_S) {
    return {
      code: "stale_timestamp",
      message: "X-Slack-Request-Timestamp is more than 5 minutes old",
    };
  }
  if (ts > nowS + MAX_SKEW_S) {
    return { code: "stale_timestamp", message: "X-Slack-Request-Timestamp is in the future" };
  }
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { code: "bad_signature", message: "invalid request signature" };
  }
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value !== "";

function judge(text: string, contentType: string, options: SlackGateOptions): Verdict {
  if (contentType.startsWith("application/json")) {
    // Events API: url_verification and event_callback, which Bolt acknowledges by itself.
    const parsed = parseJson(text);
    if (!isObject(parsed) || !isText(parsed.type)) {
      return { kind: "reject", message: "body must be a JSON object with a type" };
    }
    return { kind: "pass" };
  }
  if (!contentType.startsWith("application/x-www-form-urlencoded")) {
    return { kind: "reject", message: "Slack sends application/x-www-form-urlencoded or JSON" };
  }
  const form = new URLSearchParams(text);
  const payloadText = form.get("payload");
  if (payloadText === null) return judgeCommand(form, options);
  const payload = parseJson(payloadText);
  if (!isObject(payload) || !isText(payload.type)) {
    return { kind: "reject", message: "payload must be a JSON object with a type" };
  }
  const urlProblem = responseUrlProblem(payload.response_url, options);
  if (urlProblem) return { kind: "reject", message: urlProblem };
  switch (payload.type) {
    case "block_actions":
      return judgeBlockActions(payload, options);
    case "block_suggestion":
      return judgeSuggestion(payload, options);
    default:
      // Shortcuts, view submissions and the like: nothing listens, Slack only needs the ack.
      return { kind: "ignore" };
  }
}

function judgeCommand(form: URLSearchParams, options: SlackGateOptions): Verdict {
  const command = form.get("command");
  if (!isText(command) || !isText(form.get("user_id"))) {
    return { kind: "reject", message: "a slash command needs command and user_id" };
  }
  const urlProblem = responseUrlProblem(form.get("response_url") ?? undefined, options);
  if (urlProblem) return { kind: "reject", message: urlProblem };
  if (!matchesAny(options.commands, command)) return { kind: "ignore" };
  return { kind: "pass" };
}

function judgeBlockActions(payload: Record<string, unknown>, options: SlackGateOptions): Verdict {
  const { user, actions } = payload;
  if (!isObject(user) || !isText(user.id)) {
    return { kind: "reject", message: "block_actions needs user.id" };
  }
  if (!Array.isArray(actions) || actions.length === 0) {
    return { kind: "reject", message: "block_actions needs actions" };
  }
  if (!actions.every((a) => isObject(a) && isText(a.action_id))) {
    return { kind: "reject", message: "every action needs an action_id" };
  }
  const known = actions.some((a) =>
    matchesAny(options.actions, (a as { action_id: string }).action_id),
  );
  return known ? { kind: "pass" } : { kind: "ignore" };
}

function judgeSuggestion(payload: Record<string, unknown>, options: SlackGateOptions): Verdict {
  const { user, action_id: actionId, value } = payload;
  if (!isObject(user) || !isText(user.id) || !isText(actionId) || typeof value !== "string") {
    return { kind: "reject", message: "block_suggestion needs user.id, action_id and value" };
  }
  if (!matchesAny(options.suggestions, actionId)) {
    return { kind: "ignore", body: { options: [] } };
  }
  return { kind: "pass" };
}

/** Bolt's own matching: a string equals, a RegExp tests. */
function matchesAny(ids: readonly (string | RegExp)[], value: string): boolean {
  return ids.some((id) => (typeof id === "string" ? id === value : id.test(value)));
}

/** A response_url is where the cards go: only to Slack's own hosts (or a test's stand-in). */
export function responseUrlProblem(
  url: unknown,
  options: Pick<SlackGateOptions, "responseUrlOrigins">,
): string | null {
  if (url === undefined || url === null) return null;
  if (typeof url !== "string" || !URL.canParse(url)) return "response_url is not a URL";
  if (!options.responseUrlOrigins.includes(new URL(url).origin)) {
    return "response_url is not on an allowed origin (SLACK_RESPONSE_URL_ORIGINS)";
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
