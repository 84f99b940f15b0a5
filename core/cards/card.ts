import type { MovieTaste } from "../members/taste-store.ts";
import type { Strategy } from "../recommend/recommender.ts";

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
    })),
    ignored: set.ignored,
  };
}
