import { InvalidInputError } from "../../core/errors.ts";
import { splitTitles } from "../../core/requests/recommend-request.ts";

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
  | { kind: "watchlist" }
  | { kind: "export" }
  | { kind: "forget" }
  | { kind: "titles"; titles: string[]; onlyMine?: boolean }
  /** `region [XX]` and `services [names]`: the member's where-to-watch settings. */
  | { kind: "region"; text: string }
  | { kind: "services"; text: string }
  /** `mine` alone: popular picks on the member's services. */
  | { kind: "mine" }
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
  const setting = /^(region|services)(?:\s+([\s\S]*))?$/i.exec(text);
  if (setting) {
    const kind = (setting[1] as string).toLowerCase() as "region" | "services";
    return { kind, text: setting[2] ?? "" };
  }
  const mine = /^mine(?:\s+([\s\S]*))?$/i.exec(text);
  if (mine) {
    const rest = parseCommandText(mine[1] ?? "");
    if (rest.kind === "titles") return { ...rest, onlyMine: true };
    if (rest.kind === "invalid") return rest;
    return { kind: "mine" };
  }
  try {
    const titles = splitTitles(text);
    return titles.length === 0 ? { kind: "picker" } : { kind: "titles", titles };
  } catch (error) {
    if (error instanceof InvalidInputError) return { kind: "invalid", message: error.message };
    throw error;
  }
}
