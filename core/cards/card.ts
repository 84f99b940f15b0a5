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
}

export interface CardSet {
  strategy: Strategy;
  cards: Card[];
  /** Requested movieIds that are not in the catalog. */
  ignored: number[];
}
