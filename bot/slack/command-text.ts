import { InvalidInputError } from "../../core/errors.ts";
import { splitTitles } from "../../core/requests/recommend-request.ts";

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
  try {
    const titles = splitTitles(text);
    return titles.length === 0 ? { kind: "picker" } : { kind: "titles", titles };
  } catch (error) {
    if (error instanceof InvalidInputError) return { kind: "invalid", message: error.message };
    throw error;
  }
}
