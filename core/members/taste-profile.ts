import type { Suggestion } from "../search/movie-search.ts";
import { foldText } from "../search/search-text.ts";
import { type MovieTaste, movieIdsOf, type TasteEntry, tasteByMovie } from "./taste-store.ts";

/** A member with this many likes gets "Picked for you" when asking with nothing typed. */
export const PICKED_FOR_YOU_MIN_LIKES = 3;

/** A member's entries, sorted by what recommendations need. Newest first in each list. */
export interface TasteProfile {
  likes: number[];
  dislikes: number[];
  seen: number[];
  watchlist: number[];
  byMovie: Map<number, MovieTaste>;
}

export const EMPTY_PROFILE: TasteProfile = {
  likes: [],
  dislikes: [],
  seen: [],
  watchlist: [],
  byMovie: new Map(),
};

export function profileOf(entries: readonly TasteEntry[]): TasteProfile {
  return {
    likes: movieIdsOf(entries, "like"),
    dislikes: movieIdsOf(entries, "dislike"),
    seen: movieIdsOf(entries, "seen"),
    watchlist: movieIdsOf(entries, "watchlist"),
    byMovie: tasteByMovie(entries),
  };
}

/** Movies never to recommend to this member again: what they disliked or have seen. */
export function excludedBy(profile: TasteProfile): Set<number> {
  return new Set([...profile.dislikes, ...profile.seen]);
}

const words = (text: string) =>
  foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/^(the|a|an) /, "");

/**
 * Whether a typed title certainly names the suggestion: the same words as its title, with or
 * without its year ("heat", "Heat 1995", "Heat (1995)"). Only such matches count as likes; "hea"
 * finding Heat is a guess, and a guess must not shape a profile.
 */
export function isConfidentMatch(typed: string, suggestion: Suggestion): boolean {
  const said = words(typed);
  if (said === "") return false;
  const title = words(suggestion.title);
  if (said === title) return true;
  return suggestion.year !== null && said === `${title} ${suggestion.year}`;
}
