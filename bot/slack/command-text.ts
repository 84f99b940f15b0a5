import { MAX_LIKED } from "../../core/cards/card-service.ts";

/** Longer than any honest list of 25 titles; a pasted essay gets a clear answer instead of a search. */
export const MAX_COMMAND_TEXT = 1000;

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
  | { kind: "watchlist" }
  | { kind: "export" }
  | { kind: "forget" }
  | { kind: "region"; region: string }
  | { kind: "titles"; titles: string[] }
  | { kind: "invalid"; message: string };

/** Subcommands are single exact words; a film with one of these titles is typed in quotes. */
export const SUBCOMMANDS = ["help", "popular", "watchlist", "export", "forget", "region"] as const;
const QUOTES = /^["“”'‘’](.*)["“”'‘’]$/;

/**
 * What `/recommend <text>` asks for. Titles are separated by commas, semicolons or new lines;
 * `"Help!"` in quotes is a title even where `help` alone is the help.
 */
export function parseCommandText(raw: string | undefined): CommandIntent {
  const text = (raw ?? "").trim();
  if (text === "") return { kind: "picker" };
  const word = text.toLowerCase();
  if (word === "help" || word === "?") return { kind: "help" };
  if (word === "popular") return { kind: "popular" };
  if (word === "watchlist") return { kind: "watchlist" };
  if (word === "export") return { kind: "export" };
  if (word === "forget") return { kind: "forget" };
  const region = /^region\s+([a-z]{2})$/i.exec(text);
  if (region) return { kind: "region", region: (region[1] as string).toUpperCase() };
  if (word === "region" || word.startsWith("region ")) {
    return { kind: "invalid", message: "Name a region as two letters, e.g. `region DE`." };
  }
  if (text.length > MAX_COMMAND_TEXT) {
    return {
      kind: "invalid",
      message: `That is ${text.length} characters; please keep it under ${MAX_COMMAND_TEXT} (up to ${MAX_LIKED} titles, separated by commas).`,
    };
  }
  const seen = new Set<string>();
  const titles: string[] = [];
  for (const part of text.split(/[,;\n]+/)) {
    const trimmed = part.trim();
    const title = (QUOTES.exec(trimmed)?.[1] ?? trimmed).trim().replace(/\s+/g, " ");
    const key = title.toLowerCase();
    if (title === "" || seen.has(key)) continue;
    seen.add(key);
    titles.push(title);
  }
  if (titles.length === 0) return { kind: "picker" };
  if (titles.length > MAX_LIKED) {
    return {
      kind: "invalid",
      message: `That is ${titles.length} titles; please name at most ${MAX_LIKED}.`,
    };
  }
  return { kind: "titles", titles };
}
