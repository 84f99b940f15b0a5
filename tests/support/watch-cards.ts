import type { Card } from "../../core/cards/card.ts";
import type { WatchInfo, WatchProvider } from "../../core/watch/watch-source.ts";
import { cardFixture } from "./cards.ts";

const providers = (kind: string, count: number, nameLength: number): WatchProvider[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `${kind} ${i} `.padEnd(nameLength, "x"),
    logoUrl: `https://image.example/t/p/w92/${kind}${i}.jpg`,
  }));

/** Where to watch as TMDB gives it, with `count` providers in each group. */
export function watchFixture(region = "CH", count = 3, nameLength = 12): WatchInfo {
  return {
    region,
    link: `https://www.themoviedb.org/movie/550/watch?locale=${region}`,
    flatrate: providers("Stream", count, nameLength),
    rent: providers("Rent", count, nameLength),
    buy: providers("Buy", count, nameLength),
    attribution: "JustWatch",
  };
}

/**
 * The worst card for every limit: a 500-character title full of markup characters, 300 genres, a
 * 5000-character reason, 20 providers of 60 characters in each group, and a trailer.
 */
export function longestCard(movieId: number): Card {
  return cardFixture(movieId, {
    title: `${"Tom & Jerry <!channel> *bold* _it_ ".repeat(15)}`.slice(0, 500),
    year: 2024,
    genres: Array.from({ length: 300 }, (_, i) => `Genre & <${i}>`),
    reason: "R&<".repeat(1700),
    watch: watchFixture("CH", 20, 60),
    trailerUrl: `https://www.youtube.com/watch?v=trailer${movieId}`,
  });
}
