import { MAX_LIKED } from "../../core/cards/card-service.ts";

/** Longer than any honest list of 25 titles; a pasted essay gets a clear answer instead of a search. */
export const MAX_COMMAND_TEXT = 1000;

export type CommandIntent =
  | { kind: "picker" }
  | { kind: "help" }
  | { kind: "popular" }
  | { kind: "titles"; titles: string[] }
  | { kind: "invalid"; message: string };

/** What `/recommend <text>` asks for. Titles are separated by commas, semicolons or new lines. */
export function parseCommandText(raw: string | undefined): CommandIntent {
  const text = (raw ?? "").trim();
  if (text === "") return { kind: "picker" };
  const word = text.toLowerCase();
  if (word === "help" || word === "?") return { kind: "help" };
  if (word === "popular") return { kind: "popular" };
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
