import type { MovieTaste } from "../members/taste-store.ts";
import type { Strategy } from "../recommend/recommender.ts";
import type { WatchInfo } from "../watch/watch-source.ts";

/** A platform-neutral movie card; bot/slack and bot/discord render it as Block Kit and embeds. */
export interface Card {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
  posterUrl: string | null;
  tmdbUrl: string | null;
  imdbUrl: string | null;
  /** The recommender's score (higher is better); null when not scored. */
  score: number | null;
  /** Why it was picked: "Because you liked Heat", or "Popular with MovieLens raters". */
  reason: string;
  /** Where to watch it in the asker's region; null or absent: no data (or no TMDB key). */
  watch?: WatchInfo | null;
  /** The official YouTube trailer; null or absent: none known. */
  trailerUrl?: string | null;
  /** The asking member's 👍 / 👎 / Seen it / Watchlist on this movie; absent without a member. */
  taste?: MovieTaste;
}

export interface CardSet {
  strategy: Strategy;
  cards: Card[];
  /** Requested movieIds that are not in the catalog. */
  ignored: number[];
  /**
   * Whose taste ranked a popular list: this workspace's members ("community", once they gave
   * enough likes), both blended ("blended"), or MovieLens raters alone (absent).
   */
  popularSource?: "community" | "blended";
  /** Recommendations made from the member's remembered likes, nothing typed ("Picked for you"). */
  pickedForYou?: boolean;
}

/** The JSON form of a card set shared by the HTTP API and the CLI's --json: the API contract. */
export function cardSetJson(set: CardSet) {
  return {
    strategy: set.strategy,
    results: set.cards.map((card) => ({
      movieId: card.movieId,
      title: card.title,
      year: card.year,
      genres: card.genres,
      score: card.score,
      posterUrl: card.posterUrl,
      reason: card.reason,
      tmdbUrl: card.tmdbUrl,
      imdbUrl: card.imdbUrl,
      watch: card.watch ? watchJson(card.watch) : null,
      trailerUrl: card.trailerUrl ?? null,
    })),
    ignored: set.ignored,
  };
}

/** Providers by name for other front ends; the credit travels with them, as TMDB's terms ask. */
function watchJson(watch: WatchInfo) {
  const names = (list: WatchInfo["flatrate"]) => list.map((p) => p.name);
  return {
    region: watch.region,
    link: watch.link,
    flatrate: names(watch.flatrate),
    rent: names(watch.rent),
    buy: names(watch.buy),
    attribution: watch.attribution,
  };
}
