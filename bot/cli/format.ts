import Table from "cli-table3";
import { type CardSet, cardSetJson } from "../../core/cards/card.ts";
import type { Suggestion } from "../../core/search/movie-search.ts";

/** Plain-text tables for the terminal; `--json` bypasses these. Pure, so tests read them directly. */
export function suggestionsTable(suggestions: readonly Suggestion[]): string {
  if (suggestions.length === 0) return "No matching titles.";
  const table = new Table({ head: ["movieId", "Title", "Year"], style: { head: [], border: [] } });
  for (const s of suggestions) table.push([s.movieId, s.title, s.year ?? ""]);
  return table.toString();
}

export function cardsTable(set: CardSet): string {
  const heading =
    set.strategy === "popular"
      ? "Popular picks"
      : "Recommended for you (people who liked your picks)";
  const table = new Table({
    head: ["#", "Title", "Year", "Genres", "Score", "Why"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [4, 36, 6, 28, 7, 36],
  });
  set.cards.forEach((card, i) => {
    table.push([
      i + 1,
      card.title,
      card.year ?? "",
      card.genres.join(", "),
      card.score === null ? "" : card.score.toFixed(3),
      card.reason,
    ]);
  });
  return `${heading}\n${set.cards.length === 0 ? "Nothing to recommend." : table.toString()}`;
}

export function cardsJson(set: CardSet, unresolved: readonly string[] = []) {
  return { ...cardSetJson(set), unresolved };
}
