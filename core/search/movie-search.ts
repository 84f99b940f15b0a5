/** One autocomplete suggestion, in the shape the HTTP API returns. */
export interface Suggestion {
  movieId: number;
  /** Display title: "The Matrix". */
  title: string;
  year: number | null;
  /** "The Matrix (1999)". */
  label: string;
}

export interface SuggestOptions {
  /** Aborted when the caller's time budget runs out (autocomplete must answer Slack within 2.5 s). */
  signal?: AbortSignal;
}

/** Port: as-you-type title search. Adapters: LocalMovieSearch (embedded), ElasticsearchMovieSearch. */
export interface MovieSearch {
  suggest(query: string, limit: number, options?: SuggestOptions): Promise<Suggestion[]>;
}
