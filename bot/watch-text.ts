import type { WatchInfo, WatchProvider } from "../core/watch/watch-source.ts";

/**
 * What Slack and Discord say about where to watch, said once: labels, the JustWatch credit TMDB's
 * terms require wherever providers show, and the provider line fitted to a platform's limit.
 */
export const WATCH_LABELS = {
  trailer: "▶ Trailer",
  whereToWatch: "Where to watch",
  details: "Details",
  stream: "Stream",
  rent: "Rent",
  buy: "Buy",
  rentOrBuy: "Rent or buy",
} as const;

/** "On my services" found nothing among the recommendations. */
export const MINE_EMPTY =
  "None of the films I would pick stream on your services in your region right now. Ask again without “mine” to see them all.";

/** The credit shown with providers: JustWatch is TMDB's source, and its terms ask for the credit. */
export function watchCredit(region: string): string {
  return `Where to watch in ${region}: data by JustWatch, via TMDB.`;
}

/** True when any card in the list shows providers (and so the message needs the credit). */
export function anyProviders(cards: readonly { watch?: WatchInfo | null }[]): boolean {
  return cards.some((card) => card.watch);
}

/** The regions of the cards that show providers (one in practice: the asker's). */
export function providerRegions(cards: readonly { watch?: WatchInfo | null }[]): string[] {
  return [...new Set(cards.flatMap((card) => (card.watch ? [card.watch.region] : [])))];
}

/**
 * "Stream: Netflix, Max · Rent or buy: Apple TV +2" in at most `max` characters once escaped for
 * the platform. Names are dropped from the end of each group (counted as "+N") rather than cut.
 */
export function providerLine(
  watch: WatchInfo,
  max: number,
  escapeText: (text: string) => string = (text) => text,
): string {
  const names = (list: readonly WatchProvider[]) => list.map((p) => p.name);
  const rent = names(watch.rent);
  const buy = names(watch.buy);
  const sameShops = rent.length > 0 && rent.join("\n") === buy.join("\n");
  const groups: [string, string[]][] = [
    [WATCH_LABELS.stream, names(watch.flatrate)],
    ...(sameShops
      ? ([[WATCH_LABELS.rentOrBuy, rent]] as [string, string[]][])
      : ([
          [WATCH_LABELS.rent, rent],
          [WATCH_LABELS.buy, buy],
        ] as [string, string[]][])),
  ];
  const parts: string[] = [];
  for (const [label, list] of groups) {
    if (list.length === 0) continue;
    const joined = parts.length === 0 ? "" : " · ";
    const used = parts.join(" · ").length + joined.length;
    // Keep as many names as fit, naming how many were left out.
    for (let keep = list.length; keep >= 1; keep--) {
      const rest = list.length - keep;
      const text = `${label}: ${list.slice(0, keep).map(escapeText).join(", ")}${rest > 0 ? ` +${rest}` : ""}`;
      if (used + text.length <= max) {
        parts.push(text);
        break;
      }
    }
  }
  return parts.join(" · ");
}
