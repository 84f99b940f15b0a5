import type { Catalog } from "../catalog/catalog.ts";
import { type Movie, movieLinks } from "../catalog/movie.ts";
import { InvalidInputError } from "../errors.ts";
import type { PosterSource } from "../posters/poster-source.ts";
import type { Recommendation, Recommender, ScoredMovie } from "../recommend/recommender.ts";
import { MAX_PICKS, MAX_QUERY_LENGTH } from "../requests/recommend-request.ts";
import type { MovieSearch, Suggestion } from "../search/movie-search.ts";
import { matchQuality } from "../search/title-match.ts";
import {
  DEFAULT_REGION,
  NoWatchDetails,
  preferServices,
  serviceKey,
  type WatchSource,
} from "../watch/watch-source.ts";
import type { Card, CardSet } from "./card.ts";

/** What one typed title resolved to: shown to the user as "toy stroy → Toy Story (1995)". */
export interface TitleMatch {
  /** The text as typed. */
  typed: string;
  /** The movie used; null when nothing matched, or the best match was too weak to use unasked. */
  match: Suggestion | null;
  /** How well the typed words match the best candidate's title, 0–1 (title-match.ts). */
  confidence: number;
  /**
   * Why the best candidate was not used: its words barely match what was typed ("low_score"), or
   * another candidate matches as well and is about as well known ("close_second", "star wars").
   */
  weak: "low_score" | "close_second" | null;
  /** The best candidates to choose from when the match is weak; empty otherwise. */
  candidates: Suggestion[];
}

export interface TitleResolution {
  /** Movies found, in the order asked, without duplicates. */
  movies: Movie[];
  /** The texts that matched nothing at all. */
  unresolved: string[];
  /** Every typed title, in the order asked: what it matched, how surely, and the candidates. */
  matches: TitleMatch[];
}

/** Below this match quality a typed title is not used without asking. */
export const WEAK_MATCH = 0.6;
/**
 * A second candidate this close in match quality, and rated at least half as often, makes the
 * first a guess: "star wars" is Episode IV and Episode V alike.
 */
const CLOSE_QUALITY = 0.02;
const CLOSE_POPULARITY = 0.5;
const CANDIDATES = 3;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CardOptions extends CallOptions {
  /** Where the asker watches (two letters); the service's default region when absent. */
  region?: string;
  /** Streaming services the asker has: listed first among a card's providers. */
  services?: readonly string[];
  /** Only films that stream (flat-rate) on one of `services` in the region ("On my services"). */
  onlyMine?: boolean;
}

/** "On my services" looks at this many candidates per card asked for, then keeps the matches. */
const MINE_CANDIDATES_PER_CARD = 4;

/**
 * The one entry point the chat adapters, the HTTP API and the CLI use: search, recommendations and
 * cards, built from whichever search, recommender and poster backends the composition root chose.
 */
export class CardService {
  readonly catalog: Catalog;
  private readonly search: MovieSearch;
  private readonly recommender: Recommender;
  private readonly posters: PosterSource;
  private readonly watch: WatchSource;
  /** WATCH_REGION: the region of askers who did not name one. */
  readonly defaultRegion: string;

  constructor(deps: {
    catalog: Catalog;
    search: MovieSearch;
    recommender: Recommender;
    posters: PosterSource;
    watch?: WatchSource;
    defaultRegion?: string;
  }) {
    this.catalog = deps.catalog;
    this.search = deps.search;
    this.recommender = deps.recommender;
    this.posters = deps.posters;
    this.watch = deps.watch ?? new NoWatchDetails();
    this.defaultRegion = deps.defaultRegion ?? DEFAULT_REGION;
  }

  suggest(query: string, limit: number, options?: CallOptions): Promise<Suggestion[]> {
    return this.search.suggest(query, limit, options);
  }

  /** Recommendations for liked movieIds; ids not in the catalog are reported, not fatal. */
  async recommend(
    liked: readonly number[],
    limit: number,
    options?: CardOptions,
  ): Promise<CardSet> {
    const unique = [...new Set(liked)];
    if (unique.length > MAX_PICKS) {
      throw new InvalidInputError(
        `Pick at most ${MAX_PICKS} movies (got ${unique.length}).`,
        "too_many_liked",
      );
    }
    const known = unique.filter((id) => this.catalog.has(id));
    const ignored = unique.filter((id) => !this.catalog.has(id));
    const wanted = this.candidates(limit, options);
    const recommendation =
      known.length === 0
        ? await this.recommender.popular(wanted, options)
        : await this.recommender.recommend(known, wanted, options);
    return { ...(await this.onMyServices(recommendation, limit, options)), ignored };
  }

  async popular(limit: number, options?: CardOptions): Promise<CardSet> {
    const recommendation = await this.recommender.popular(this.candidates(limit, options), options);
    return { ...(await this.onMyServices(recommendation, limit, options)), ignored: [] };
  }

  private candidates(limit: number, options?: CardOptions): number {
    return this.mineOnly(options) ? limit * MINE_CANDIDATES_PER_CARD : limit;
  }

  private mineOnly(options?: CardOptions): boolean {
    return options?.onlyMine === true && (options.services?.length ?? 0) > 0;
  }

  /** The cards, and with "On my services" only those streaming on one of the asker's services. */
  private async onMyServices(
    recommendation: Recommendation,
    limit: number,
    options?: CardOptions,
  ): Promise<Omit<CardSet, "ignored">> {
    const set = await this.toCards(recommendation, options);
    if (!this.mineOnly(options)) return set;
    const mine = new Set((options?.services ?? []).map(serviceKey));
    const cards = set.cards.filter((card) =>
      card.watch?.flatrate.some((provider) => mine.has(serviceKey(provider.name))),
    );
    return { ...set, cards: cards.slice(0, limit) };
  }

  /**
   * Resolves typed titles ("Toy Story", "heat 1995", "toy stroy") to movies through search. The
   * best match is used when it matches well and clearly; otherwise the title is left out and its
   * candidates returned, so the caller can say so and let the user pick.
   */
  async resolveTitles(texts: readonly string[], options?: CallOptions): Promise<TitleResolution> {
    const movies: Movie[] = [];
    const unresolved: string[] = [];
    const matches: TitleMatch[] = [];
    const seen = new Set<number>();
    for (const text of texts) {
      // Typed text is always a title: "1917" is the 2019 film, not movieId 1917.
      const match = await this.resolveTitle(text, options);
      matches.push(match);
      const movie = match.match ? this.catalog.get(match.match.movieId) : undefined;
      if (match.candidates.length === 0 && !movie) unresolved.push(text);
      else if (movie && !seen.has(movie.movieId)) {
        seen.add(movie.movieId);
        movies.push(movie);
      }
    }
    return { movies, unresolved, matches };
  }

  private async resolveTitle(text: string, options?: CallOptions): Promise<TitleMatch> {
    // Search reads a title's first MAX_QUERY_LENGTH characters, however long the text typed.
    const query = text.slice(0, MAX_QUERY_LENGTH);
    const found = (await this.search.suggest(query, CANDIDATES, options)).flatMap((suggestion) => {
      const movie = this.catalog.get(suggestion.movieId);
      if (!movie) return [];
      const quality = matchQuality(query, movie);
      return [{ suggestion, quality, ratings: this.catalog.statsOf(movie.movieId).ratingCount }];
    });
    const [best, ...others] = found;
    if (!best) return { typed: text, match: null, confidence: 0, weak: null, candidates: [] };
    const rival = others.find(
      (o) =>
        o.quality >= best.quality - CLOSE_QUALITY && o.ratings >= best.ratings * CLOSE_POPULARITY,
    );
    const weak = best.quality < WEAK_MATCH ? "low_score" : rival ? "close_second" : null;
    return {
      typed: text,
      match: weak ? null : best.suggestion,
      confidence: best.quality,
      weak,
      candidates: weak ? found.map((f) => f.suggestion) : [],
    };
  }

  movie(movieId: number): Movie | undefined {
    return this.catalog.get(movieId);
  }

  private async toCards(
    recommendation: Recommendation,
    options: CardOptions = {},
  ): Promise<Omit<CardSet, "ignored">> {
    const region = options.region ?? this.defaultRegion;
    const services = options.services ?? [];
    const cards = await Promise.all(
      recommendation.items.flatMap((item) => {
        const movie = this.catalog.get(item.movieId);
        if (!movie) return [];
        // Poster, providers and trailer are looked up at once; each source keeps its own budget.
        return [
          Promise.all([this.posters.posterUrl(movie), this.watch.details(movie, region)]).then(
            ([posterUrl, { watch, trailerUrl }]): Card => ({
              movieId: movie.movieId,
              title: movie.title,
              year: movie.year,
              genres: movie.genres,
              posterUrl,
              ...movieLinks(movie),
              score: item.score,
              reason: this.reason(recommendation.strategy, item),
              watch: watch && {
                ...watch,
                flatrate: preferServices(watch.flatrate, services),
                rent: preferServices(watch.rent, services),
                buy: preferServices(watch.buy, services),
              },
              trailerUrl,
            }),
          ),
        ];
      }),
    );
    return { strategy: recommendation.strategy, cards };
  }

  /**
   * What drives the pick, in a stable order: "Same series as Toy Story", else "Because you liked
   * Heat (and …)"; then "Loved by 64 % of people who liked Heat" when the recommender measured it.
   */
  private reason(strategy: Recommendation["strategy"], item: ScoredMovie): string {
    if (strategy === "popular") return "Popular with MovieLens raters";
    const movies = item.because
      .map((id) => this.catalog.get(id))
      .filter((m): m is Movie => m !== undefined)
      .slice(0, 2);
    const series = item.series === undefined ? undefined : this.catalog.get(item.series);
    const parts: string[] = [];
    if (series) parts.push(`Same series as ${series.title}`);
    else if (movies.length > 0)
      parts.push(`Because you liked ${movies.map((m) => m.title).join(" and ")}`);
    const first = series ?? movies[0];
    if (first && item.lovedShare !== undefined && item.lovedShare > 0) {
      parts.push(
        `Loved by ${Math.round(100 * item.lovedShare)} % of people who liked ${first.title}`,
      );
    }
    return parts.length === 0 ? "Liked by people who share your taste" : parts.join(" · ");
  }
}
