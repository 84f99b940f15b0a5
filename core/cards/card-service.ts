import type { Catalog } from "../catalog/catalog.ts";
import { type Movie, movieLinks } from "../catalog/movie.ts";
import { InvalidInputError } from "../errors.ts";
import { communityPopular } from "../members/community-popular.ts";
import {
  excludedBy,
  isConfidentMatch,
  PICKED_FOR_YOU_MIN_LIKES,
  profileOf,
  type TasteProfile,
} from "../members/taste-profile.ts";
import { type MemberId, NO_TASTE, type TasteStore } from "../members/taste-store.ts";
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

/** Remembered likes a recommendation draws on at most (the newest): a profile's worth. */
export const PROFILE_PICKS = 10;
/** Disliked and seen movies are asked for beyond the limit, to be dropped; this caps the extra. */
const MAX_EXCLUDED_EXTRA = 100;
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
  /** Movies whose typed text named them for certain ("Heat 1995" → Heat): only these count as likes. */
  confident: number[];
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

/** Who is asking: their dislikes and seen films are left out, and cards show their controls. */
export interface MemberOptions extends CardOptions {
  member?: MemberId;
  /** Let the member's remembered likes join the picks (not for "More like this" one movie). */
  useLikes?: boolean;
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
  private readonly taste: TasteStore | undefined;
  private readonly onTasteError: (error: unknown, what: string) => void;

  constructor(deps: {
    catalog: Catalog;
    search: MovieSearch;
    recommender: Recommender;
    posters: PosterSource;
    watch?: WatchSource;
    defaultRegion?: string;
    /** What members told us; without it every member is a stranger. */
    taste?: TasteStore;
    /** A profile that could not be read or a pick not remembered: logged, never fatal. */
    onTasteError?: (error: unknown, what: string) => void;
  }) {
    this.catalog = deps.catalog;
    this.search = deps.search;
    this.recommender = deps.recommender;
    this.posters = deps.posters;
    this.watch = deps.watch ?? new NoWatchDetails();
    this.defaultRegion = deps.defaultRegion ?? DEFAULT_REGION;
    this.taste = deps.taste;
    this.onTasteError = deps.onTasteError ?? (() => {});
  }

  /** The member's profile; null without a store or when it cannot be read (recommendations go on). */
  async profile(member: MemberId | undefined): Promise<TasteProfile | null> {
    if (!member || !this.taste) return null;
    try {
      return profileOf(await this.taste.entries(member));
    } catch (error) {
      this.onTasteError(error, "read profile");
      return null;
    }
  }

  /** Picks in /recommend become likes. Best effort: a pick that is not remembered still recommends. */
  async rememberPicks(member: MemberId | undefined, movieIds: readonly number[]): Promise<void> {
    const known = movieIds.filter((id) => this.catalog.has(id));
    if (!member || !this.taste || known.length === 0) return;
    try {
      await this.taste.addLikes(member, known);
    } catch (error) {
      this.onTasteError(error, "remember picks");
    }
  }

  suggest(query: string, limit: number, options?: CallOptions): Promise<Suggestion[]> {
    return this.search.suggest(query, limit, options);
  }

  /** Recommendations for liked movieIds; ids not in the catalog are reported, not fatal. */
  async recommend(
    liked: readonly number[],
    limit: number,
    options: MemberOptions = {},
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
    const profile = await this.profile(options.member);
    const likes =
      profile && options.useLikes !== false
        ? profile.likes.filter((id) => this.catalog.has(id)).slice(0, PROFILE_PICKS)
        : [];
    // Remembered likes are the picks only when nothing was picked, and once there are enough of
    // them ("Picked for you"). Mixed into what the member picked now, a profile's worth of likes
    // drowns the picks: the fan suite fell from 88 % to 25 % with 10 remembered likes added.
    const remembered = known.length === 0 && likes.length >= PICKED_FOR_YOU_MIN_LIKES ? likes : [];
    const picks = [...new Set([...known, ...remembered])].slice(0, MAX_PICKS);
    // Films the member already liked, disliked or saw are not news; what they picked now wins
    // over an old "seen it".
    const exclude = profile ? excludedBy(profile) : new Set<number>();
    for (const id of profile?.likes ?? []) exclude.add(id);
    for (const id of known) exclude.delete(id);
    const wanted = this.candidates(limit, options) + Math.min(exclude.size, MAX_EXCLUDED_EXTRA);
    const signal = { signal: options.signal };
    const recommendation =
      picks.length === 0
        ? await this.recommender.popular(wanted, signal)
        : await this.recommender.recommend(picks, wanted, signal);
    const items = this.kept(recommendation.items, exclude, limit, options);
    const set = await this.onMyServices({ ...recommendation, items }, limit, options, profile);
    return {
      ...set,
      ignored,
      ...(known.length === 0 && remembered.length > 0 ? { pickedForYou: true } : {}),
    };
  }

  /**
   * The popular list; for a member, their workspace's own once its members liked enough (blended
   * with MovieLens's before that), without what the member disliked or has seen.
   */
  async popular(limit: number, options: MemberOptions = {}): Promise<CardSet> {
    const profile = await this.profile(options.member);
    const exclude = profile ? excludedBy(profile) : new Set<number>();
    const wanted = this.candidates(limit, options) + Math.min(exclude.size, MAX_EXCLUDED_EXTRA);
    const movielens = await this.recommender.popular(wanted, { signal: options.signal });
    const member = options.member;
    const community =
      member && this.taste
        ? await this.taste
            .communityLikes(member.platform, member.workspace, wanted)
            .catch((error) => {
              this.onTasteError(error, "read community likes");
              return null;
            })
        : null;
    if (!community) {
      const items = this.kept(movielens.items, exclude, limit, options);
      return {
        ...(await this.onMyServices({ ...movielens, items }, limit, options, profile)),
        ignored: [],
      };
    }
    const count = this.mineOnly(options) ? wanted : limit;
    const ranked = communityPopular(community, movielens.items, count, exclude);
    const set = await this.onMyServices(
      { strategy: "popular", items: ranked.items },
      limit,
      options,
      profile,
      (item) => {
        const likes = ranked.likesByMovie.get(item.movieId);
        if (likes === undefined) return undefined;
        return likes === 1 ? "Liked by a member here" : `Liked by ${likes} members here`;
      },
    );
    return {
      ...set,
      ignored: [],
      ...(ranked.source === "movielens" ? {} : { popularSource: ranked.source }),
    };
  }

  /** Cards for given movies, in order, with the member's controls (a card re-drawn after a click). */
  async cardsFor(
    items: readonly ScoredMovie[],
    strategy: Recommendation["strategy"],
    member?: MemberId,
    options: CardOptions = {},
  ): Promise<Card[]> {
    const profile = await this.profile(member);
    return (await this.toCards({ strategy, items: [...items] }, options, profile)).cards;
  }

  /** Without the member's dislikes and seen films; all candidates for "on my services", else the limit. */
  private kept(
    items: readonly ScoredMovie[],
    exclude: ReadonlySet<number>,
    limit: number,
    options?: CardOptions,
  ): ScoredMovie[] {
    const left = items.filter((i) => !exclude.has(i.movieId));
    return this.mineOnly(options) ? left : left.slice(0, limit);
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
    profile: TasteProfile | null = null,
    reasonOf?: (item: ScoredMovie) => string | undefined,
  ): Promise<Omit<CardSet, "ignored">> {
    const set = await this.toCards(recommendation, options, profile, reasonOf);
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
    const confident: number[] = [];
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
        if (match.match && isConfidentMatch(text, match.match)) confident.push(movie.movieId);
      }
    }
    return { movies, unresolved, matches, confident };
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
    profile: TasteProfile | null = null,
    reasonOf: (item: ScoredMovie) => string | undefined = () => undefined,
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
              reason: reasonOf(item) ?? this.reason(recommendation.strategy, item),
              watch: watch && {
                ...watch,
                flatrate: preferServices(watch.flatrate, services),
                rent: preferServices(watch.rent, services),
                buy: preferServices(watch.buy, services),
              },
              trailerUrl,
              ...(profile ? { taste: profile.byMovie.get(movie.movieId) ?? { ...NO_TASTE } } : {}),
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
