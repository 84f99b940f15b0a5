import Table from "cli-table3";
import { type CardSet, cardSetJson } from "../../core/cards/card.ts";
import type { TitleMatch } from "../../core/cards/card-service.ts";
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

/** What a weak match was skipped for, naming the candidates to type instead. */
export function weakLine(match: TitleMatch): string {
  const why = match.weak === "close_second" ? "could be several movies" : "matches nothing closely";
  const names = match.candidates.map((c) => c.label).join("; ");
  return `Skipped "${match.typed}": ${why}${names ? ` (${names}); type the one you mean` : ""}`;
}

/** Each typed title and what it matched: "toy stroy → Toy Story (1995)". */
export function matchesTable(matches: readonly TitleMatch[]): string {
  const table = new Table({
    head: ["You typed", "Matched"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [30, 60],
  });
  for (const m of matches) {
    const matched = m.match
      ? m.match.label
      : m.candidates.length > 0
        ? `skipped, could be: ${m.candidates.map((c) => c.label).join("; ")}`
        : "not found";
    table.push([m.typed, matched]);
  }
  return table.toString();
}

export function matchesJson(matches: readonly TitleMatch[]) {
  return matches.map((m) => ({
    typed: m.typed,
    movieId: m.match?.movieId ?? null,
    label: m.match?.label ?? null,
    confidence: m.confidence,
    weak: m.weak,
    candidates: m.candidates.map((c) => ({ movieId: c.movieId, label: c.label })),
  }));
}
