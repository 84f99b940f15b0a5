import type { Catalog } from "../catalog/catalog.ts";
import { movieLabel } from "../catalog/movie.ts";
import type { MemberId, TasteEntry, TasteKind } from "./taste-store.ts";

/** Everything the bot holds about a member, as the member receives it ("export"). */
export interface MemberExport {
  member: MemberId;
  exportedAt: string;
  entries: { movieId: number; title: string | null; kind: TasteKind; at: string }[];
}

export function memberExport(
  member: MemberId,
  entries: readonly TasteEntry[],
  catalog: Pick<Catalog, "get">,
  now = Date.now(),
): MemberExport {
  return {
    member,
    exportedAt: new Date(now).toISOString(),
    entries: entries.map((entry) => {
      const movie = catalog.get(entry.movieId);
      return {
        movieId: entry.movieId,
        title: movie ? movieLabel(movie) : null,
        kind: entry.kind,
        at: new Date(entry.at).toISOString(),
      };
    }),
  };
}

/** "12 likes, 3 dislikes, 5 seen, 2 on the watchlist": what "forget me" is about to delete. */
export function entriesSummary(entries: readonly TasteEntry[]): string {
  const count = (kind: TasteKind) => entries.filter((e) => e.kind === kind).length;
  const parts = [
    [count("like"), "like", "likes"],
    [count("dislike"), "dislike", "dislikes"],
    [count("seen"), "seen", "seen"],
    [count("watchlist"), "on the watchlist", "on the watchlist"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length === 0 ? "nothing yet" : said.join(", ");
}

/**
 * What "forget me" answers once done. Others' recommendations lose the member's likes at the
 * embedded recommender's next refresh (every `refreshMinutes`), or, with BigQuery (null), at the
 * operator's next `bigquery:sync-members`, which nobody can promise a time for.
 */
export function forgottenNotice(rows: number, refreshMinutes: number | null): string {
  const when =
    refreshMinutes === null
      ? "when its data is next synced by the bot's operator"
      : `at the recommender's next refresh, ${refreshDelay(refreshMinutes)}`;
  return `Done: I forgot everything about you (${rows} rows deleted). Other members' recommendations stop drawing on your likes ${when}.`;
}

/** When others' recommendations lose a forgotten member's likes: at the recommender's next refresh. */
export function refreshDelay(minutes: number): string {
  if (minutes % 1440 === 0)
    return minutes === 1440 ? "within a day" : `within ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "within an hour" : `within ${minutes / 60} hours`;
  return `within ${minutes} minutes`;
}
