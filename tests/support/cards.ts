import type { Card } from "../../core/cards/card.ts";
import type { JobResult } from "../../core/jobs/job.ts";

/** A card as the core builds one, for renderer tests: "Movie 42 (1999)", Drama and Crime, a poster. */
export function cardFixture(movieId: number, overrides: Partial<Card> = {}): Card {
  return {
    movieId,
    title: `Movie ${movieId}`,
    year: 1999,
    genres: ["Drama", "Crime"],
    posterUrl: `https://posters.example/${movieId}.jpg`,
    tmdbUrl: `https://www.themoviedb.org/movie/${movieId}`,
    imdbUrl: null,
    score: 0.5,
    reason: "Because you liked Heat",
    ...overrides,
  };
}

/** A finished recommend job holding these cards. */
export function jobResultFixture(cards: Card[], overrides: Partial<JobResult> = {}): JobResult {
  return {
    strategy: "personalized",
    cards,
    ignored: [],
    unresolved: [],
    request: { name: "recommend", liked: [6], titles: [], limit: cards.length },
    ...overrides,
  };
}
