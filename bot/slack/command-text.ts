import { MAX_LIKED } from "../../core/cards/card-service.ts";

/** Longer than any honest list of 25 titles; a pasted essay gets a clear answer instead of a search. */
export const MAX_COMMAND_TEXT = 1000;

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
  | { kind: "titles"; titles: string[]; onlyMine?: boolean }
  /** `region [XX]` and `services [names]`: the member's where-to-watch settings. */
  | { kind: "region"; text: string }
  | { kind: "services"; text: string }
  /** `mine` alone: popular picks on the member's services. */
  | { kind: "mine" }
  | { kind: "invalid"; message: string };

/** What `/recommend <text>` asks for. Titles are separated by commas, semicolons or new lines. */
export function parseCommandText(raw: string | undefined): CommandIntent {
  const text = (raw ?? "").trim();
  if (text === "") return { kind: "picker" };
  const word = text.toLowerCase();
  if (word === "help" || word === "?") return { kind: "help" };
  if (word === "popular") return { kind: "popular" };
  const setting = /^(region|services)(?:\s+([\s\S]*))?$/i.exec(text);
  if (setting) {
    const kind = (setting[1] as string).toLowerCase() as "region" | "services";
    return { kind, text: (setting[2] ?? "").slice(0, MAX_COMMAND_TEXT) };
  }
  const mine = /^mine(?:\s+([\s\S]*))?$/i.exec(text);
  if (mine) {
    const rest = parseCommandText(mine[1] ?? "");
    if (rest.kind === "titles") return { ...rest, onlyMine: true };
    if (rest.kind === "invalid") return rest;
    return { kind: "mine" };
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
    const title = part.trim().replace(/\s+/g, " ");
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
