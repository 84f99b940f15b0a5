import { clip } from "../chat/chat-shared.ts";

/**
 * Block Kit limits Slack enforces: a message breaking one is rejected outright ("invalid_blocks"),
 * so the user would see nothing. Every renderer clips to these instead.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  /** The fallback `text` of a message with blocks; Slack truncates beyond 40k, we stay far below. */
  messageText: 3000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  altText: 2000,
  imageUrl: 3000,
  optionText: 75,
  optionValue: 150,
  options: 100,
  placeholder: 150,
} as const;

/** mrkdwn treats &, < and > as control characters; user and catalog text must be escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Escapes for mrkdwn and clips to `max` without cutting an entity like `&amp;` in half. */
export function clipEscaped(text: string, max: number): string {
  let raw = clip(text, max);
  while (escapeMrkdwn(raw).length > max) raw = clip(raw, raw.length - 1);
  return escapeMrkdwn(raw);
}
