import { InvalidInputError } from "../../core/errors.ts";
import { splitTitles } from "../../core/requests/recommend-request.ts";

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
  try {
    const titles = splitTitles(text);
    return titles.length === 0 ? { kind: "picker" } : { kind: "titles", titles };
  } catch (error) {
    if (error instanceof InvalidInputError) return { kind: "invalid", message: error.message };
    throw error;
  }
}
