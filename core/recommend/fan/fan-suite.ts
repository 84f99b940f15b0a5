import type { Catalog } from "../../catalog/catalog.ts";
import type { Movie } from "../../catalog/movie.ts";
import type { Recommender } from "../recommender.ts";
import { FAN_CASES, type FanCase } from "./fan-cases.ts";

/** The list length every fan case is judged on. */
export const FAN_LIST_SIZE = 10;

export type FanOutcome =
  | { status: "pass" | "fail"; hits: number; needed: number; top: number[] }
  | { status: "skipped"; reason: string };

export interface FanCaseResult {
  case: FanCase;
  outcome: FanOutcome;
}

export interface FanSuiteResult {
  results: FanCaseResult[];
  passed: number;
  /** Cases that ran (their picks and enough expected titles are in the catalogue). */
  ran: number;
  /** passed / ran; 0 when nothing ran. */
  share: number;
  /** Every list the suite received, for popularity bias. */
  lists: number[][];
}

/**
 * Looks up "Title (year)" references in a catalogue by display or alternate title, ignoring case,
 * accents and punctuation; the year must match within one (MovieLens and release dates disagree
 * at the turn of a year). Among equal titles the most-rated movie wins.
 */
export class TitleResolver {
  private readonly byTitle = new Map<string, Movie[]>();
  private readonly catalog: Catalog;

  constructor(catalog: Catalog) {
    this.catalog = catalog;
    for (const movie of catalog.movies) {
      for (const title of new Set([movie.title, ...movie.altTitles].map(normalizeTitle))) {
        const list = this.byTitle.get(title) ?? [];
        list.push(movie);
        this.byTitle.set(title, list);
      }
    }
  }

  resolve(reference: string): Movie | undefined {
    const match = /^(.*?)\s*\((\d{4})\)\s*$/.exec(reference);
    const title = normalizeTitle(match ? (match[1] as string) : reference);
    const year = match ? Number(match[2]) : null;
    const candidates = (this.byTitle.get(title) ?? []).filter(
      (m) => year === null || m.year === null || Math.abs(m.year - year) <= 1,
    );
    return candidates.sort(
      (a, b) =>
        Number(b.year === year) - Number(a.year === year) ||
        this.catalog.statsOf(b.movieId).ratingCount - this.catalog.statsOf(a.movieId).ratingCount,
    )[0];
  }
}

export function normalizeTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Runs every case against `recommender` (built on `catalog`) and judges its top 10. */
export async function runFanSuite(
  catalog: Catalog,
  recommender: Recommender,
  cases: readonly FanCase[] = FAN_CASES,
): Promise<FanSuiteResult> {
  const resolver = new TitleResolver(catalog);
  const results: FanCaseResult[] = [];
  const lists: number[][] = [];
  for (const fanCase of cases) {
    const picks = fanCase.picks.map((p) => ({ ref: p, movie: resolver.resolve(p) }));
    const missing = picks.filter((p) => !p.movie).map((p) => p.ref);
    if (missing.length > 0) {
      results.push({
        case: fanCase,
        outcome: { status: "skipped", reason: `not in the catalogue: ${missing.join(", ")}` },
      });
      continue;
    }
    const pickIds = picks.map((p) => (p.movie as Movie).movieId);
    const { expect } = fanCase;
    let wanted: Set<number> | null = null;
    if (expect.kind === "titles") {
      wanted = new Set(
        expect.titles
          .map((t) => resolver.resolve(t)?.movieId)
          .filter((id): id is number => id !== undefined && !pickIds.includes(id)),
      );
      if (wanted.size < expect.atLeast) {
        results.push({
          case: fanCase,
          outcome: { status: "skipped", reason: "too few of the expected films in the catalogue" },
        });
        continue;
      }
    }
    const recommendation = await recommender.recommend(pickIds, FAN_LIST_SIZE);
    const top = recommendation.items.map((i) => i.movieId).slice(0, FAN_LIST_SIZE);
    lists.push(top);
    const judged = top.slice(0, expect.within);
    const hits =
      expect.kind === "titles"
        ? judged.filter((id) => wanted?.has(id)).length
        : judged.filter((id) => catalog.get(id)?.genres.includes(expect.genre)).length;
    results.push({
      case: fanCase,
      outcome: {
        status: hits >= expect.atLeast ? "pass" : "fail",
        hits,
        needed: expect.atLeast,
        top,
      },
    });
  }
  const ran = results.filter((r) => r.outcome.status !== "skipped").length;
  const passed = results.filter((r) => r.outcome.status === "pass").length;
  return { results, passed, ran, share: ran === 0 ? 0 : passed / ran, lists };
}
