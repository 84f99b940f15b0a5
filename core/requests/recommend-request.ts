import { z } from "zod";
import { InvalidInputError } from "../errors.ts";
import { MAX_SERVICES, PLATFORMS } from "../members/taste-store.ts";

/**
 * The one request model. Every door — the HTTP API, the CLI, Slack's command text and buttons,
 * Discord's options and components, and the queue's jobs — parses what it received into this, so
 * a request accepted at one door is accepted at every other, with the same limits written once.
 */

/** Movies one request may name (picked ids and typed titles together): a menu's worth. */
export const MAX_PICKS = 25;
/**
 * Typed text: a whole command, and so any one title in it. Longer than any honest list of 25
 * titles; a pasted essay gets a clear answer instead of a search.
 */
export const MAX_TEXT_LENGTH = 1000;
/** What search reads of a query or a typed title: a title, not an essay. */
export const MAX_QUERY_LENGTH = 200;
/** Cards a chat reply shows (Discord: 10 embeds per message; Slack: two blocks a card, 50 blocks). */
export const CHAT_RESULT_LIMIT = 8;
/** Cards the HTTP API and the CLI return unless asked for another number. */
export const DEFAULT_LIMIT = 10;
/** Most cards any one request may ask for. */
export const MAX_LIMIT = 50;
/** Movies a request may leave out (already seen, already shown). */
export const MAX_EXCLUDED = 500;

const movieId = z.number().int().positive().max(999_999_999);
const region = z.string().regex(/^[A-Z]{2}$/, "region must be a two-letter country code");
const limit = z
  .number()
  .int()
  .min(1, `limit must be between 1 and ${MAX_LIMIT}`)
  .max(MAX_LIMIT, `limit must be between 1 and ${MAX_LIMIT}`);
const PLATFORM_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Who asks: the platform, the Slack workspace or Discord server ("dm" outside one), the user. */
export const memberSchema = z.object({
  platform: z.enum(PLATFORMS),
  workspace: z.string().regex(PLATFORM_ID),
  user: z.string().regex(PLATFORM_ID),
});

/** The asker's streaming services ("On my services"), read from their profile. */
const servicesFields = {
  /** Listed first among a card's providers. */
  services: z
    .array(z.string().trim().min(1).max(100))
    .max(MAX_SERVICES, `name at most ${MAX_SERVICES} services`)
    .optional(),
  /** Only films streaming (flat-rate) on `services` in the region. */
  onlyMine: z.boolean().optional(),
};

const recommendSchema = z.object({
  name: z.literal("recommend"),
  /** Picked movies, by MovieLens id (from a menu, a button, the API). */
  liked: z.array(movieId).max(MAX_PICKS, `pick at most ${MAX_PICKS} movies`),
  /** Typed titles, resolved through search by whoever computes the request. */
  titles: z
    .array(
      z
        .string()
        .trim()
        .min(1, "a title cannot be empty")
        .max(MAX_TEXT_LENGTH, `a title holds at most ${MAX_TEXT_LENGTH} characters`),
    )
    .max(MAX_PICKS, `name at most ${MAX_PICKS} titles`),
  limit,
  /** Movies to leave out of the answer. */
  exclude: z.array(movieId).max(MAX_EXCLUDED).optional(),
  /** Where the asker watches, for the cards' providers; WATCH_REGION when absent. */
  region: region.optional(),
  ...servicesFields,
  member: memberSchema.optional(),
  /** With a member: whether their remembered likes join the picks (not for "More like this"). */
  useLikes: z.boolean().optional(),
});

const popularSchema = z.object({
  name: z.literal("popular"),
  limit,
  exclude: z.array(movieId).max(MAX_EXCLUDED).optional(),
  region: region.optional(),
  ...servicesFields,
  member: memberSchema.optional(),
});

export const requestSchema = z
  .discriminatedUnion("name", [recommendSchema, popularSchema])
  .superRefine((request, ctx) => {
    if (request.name !== "recommend") return;
    const named = new Set(request.liked).size + request.titles.length;
    if (named > MAX_PICKS) {
      ctx.addIssue({
        code: "custom",
        path: ["liked"],
        message: `Pick at most ${MAX_PICKS} movies (got ${named}).`,
      });
    }
  });

export type RecommendRequest = z.infer<typeof requestSchema>;

/** Where the asker watches, as the chat adapters read it from the profile (or Discord locale). */
export type WatchPrefs = Pick<RecommendRequest, "region" | "services" | "onlyMine">;

/**
 * Parses what an entry point built into the request model; a request the user got wrong becomes
 * an InvalidInputError whose message is written for them (a 400, an ephemeral line, a reply).
 */
export function parseRequest(input: unknown): RecommendRequest {
  const parsed = requestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new InvalidInputError(sentence(first?.message ?? "That request is not valid."));
}

/** Like parseRequest, but null instead of an error: for values only this app writes. */
export function tryParseRequest(input: unknown): RecommendRequest | null {
  const parsed = requestSchema.safeParse(input);
  return parsed.success ? parsed.data : null;
}

const QUOTES = /^["“”'‘’](.*)["“”'‘’]$/;

/**
 * Typed text as titles: separated by commas, semicolons or new lines, spaces collapsed, repeats
 * (ignoring case) dropped. The text's length is checked first, so a pasted essay is not split.
 */
export function splitTitles(text: string): string[] {
  if (text.length > MAX_TEXT_LENGTH) {
    throw new InvalidInputError(
      `That is ${text.length} characters; please keep it under ${MAX_TEXT_LENGTH} (up to ${MAX_PICKS} titles, separated by commas).`,
    );
  }
  const seen = new Set<string>();
  const titles: string[] = [];
  for (const part of text.split(/[,;\n]+/)) {
    // "Help!" in quotes: a title even where the bare word is a subcommand.
    const trimmed = part.trim();
    const title = (QUOTES.exec(trimmed)?.[1] ?? trimmed).trim().replace(/\s+/g, " ");
    const key = title.toLowerCase();
    if (title === "" || seen.has(key)) continue;
    seen.add(key);
    titles.push(title);
  }
  if (titles.length > MAX_PICKS) {
    throw new InvalidInputError(
      `That is ${titles.length} titles; please name at most ${MAX_PICKS}.`,
    );
  }
  return titles;
}

/** A movie id from a menu value, a button value or a custom_id part; null for anything else. */
export function parseMovieId(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
