import type { estypes } from "@elastic/elasticsearch";
import type { MovieStats } from "../../catalog/catalog.ts";
import { type Movie, movieLabel } from "../../catalog/movie.ts";
import { NUMBER_WORDS, ORDINALS, romanNumerals } from "../../search/title-forms.ts";

/**
 * Index-time synonyms for numbers, from the tables the embedded search uses (title-forms.ts): a
 * title is indexed under every way of writing its number ("II", "2"; "Eleven", "11"; "Third", "3"),
 * so a query matches whichever form it types. Index-time only: queries are not expanded again.
 */
export function numberSynonyms(): string[] {
  const byDigits = new Map<string, string[]>();
  const add = (digits: string, form: string) =>
    byDigits.set(digits, [...(byDigits.get(digits) ?? [digits]), form]);
  for (const [numeral, digits] of romanNumerals()) add(digits, numeral);
  for (const [word, digits] of Object.entries(NUMBER_WORDS)) add(digits, word);
  for (const [word, digits] of Object.entries(ORDINALS)) add(digits, word);
  return [...byDigits.values()].map((forms) => forms.join(", "));
}

/**
 * The movies index. Titles are search_as_you_type (ES builds the shingle and edge-n-gram subfields a
 * bool_prefix multi_match needs) through an analyzer that lowercases and folds accents, so "amelie"
 * finds "Amélie". The display title ("The Matrix") and the MovieLens form ("Matrix, The (1999)") are
 * both indexed, so either way of writing it matches. Popularity (the rating count) is a rank_feature
 * for scoring and a plain integer for the tie-break sort.
 */
export const MOVIES_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  number_of_replicas: 1,
  analysis: {
    char_filter: {
      // "WALL·E" and "E.T." are one token to the standard tokenizer; as two words, the join below
      // makes them "walle" and "et" as people type them.
      title_punctuation: { type: "mapping", mappings: ["· => \\u0020", ". => \\u0020"] },
    },
    filter: {
      title_numbers: { type: "synonym", synonyms: numberSynonyms() },
      // Each pair of neighbouring words joined: "Spider-Man" → "spiderman", "Brave Heart" →
      // "braveheart"; the query's joined reading ("brave heart" → "braveheart") meets it here.
      title_joins: {
        type: "shingle",
        min_shingle_size: 2,
        max_shingle_size: 2,
        output_unigrams: true,
        token_separator: "",
      },
    },
    analyzer: {
      folded: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding"] },
      /** Query side of title_forms and title_joined: the punctuation mapped the same way. */
      folded_words: {
        type: "custom",
        char_filter: ["title_punctuation"],
        tokenizer: "standard",
        filter: ["lowercase", "asciifolding"],
      },
      title_forms: {
        type: "custom",
        char_filter: ["title_punctuation"],
        tokenizer: "standard",
        filter: ["lowercase", "asciifolding", "title_numbers"],
      },
      title_joined: {
        type: "custom",
        char_filter: ["title_punctuation"],
        tokenizer: "standard",
        filter: ["lowercase", "asciifolding", "title_joins"],
      },
    },
  },
};

export const MOVIES_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    movieId: { type: "integer" },
    title: {
      type: "search_as_you_type",
      analyzer: "folded",
      max_shingle_size: 3,
      copy_to: ["title_forms", "title_joined"],
    },
    raw_title: { type: "text", analyzer: "folded" },
    alt_titles: {
      type: "search_as_you_type",
      analyzer: "folded",
      max_shingle_size: 3,
      copy_to: ["title_forms", "title_joined"],
    },
    // Display and alternate titles again: numbers in every form, and neighbouring words joined.
    title_forms: { type: "text", analyzer: "title_forms", search_analyzer: "folded_words" },
    title_joined: { type: "text", analyzer: "title_joined", search_analyzer: "folded_words" },
    year: { type: "short" },
    label: { type: "keyword", index: false },
    popularity: { type: "rank_feature" },
    rating_count: { type: "integer" },
  },
};

/** One document of the movies index; _source carries what a Suggestion needs. */
export interface MovieDocument {
  movieId: number;
  title: string;
  raw_title: string;
  alt_titles: string[];
  year: number | null;
  label: string;
  /** rank_feature values must be positive: unrated movies get the smallest one. */
  popularity: number;
  rating_count: number;
}

export function movieDocument(movie: Movie, stats: MovieStats): MovieDocument {
  return {
    movieId: movie.movieId,
    title: movie.title,
    raw_title: movie.rawTitle,
    alt_titles: movie.altTitles,
    year: movie.year,
    label: movieLabel(movie),
    popularity: Math.max(stats.ratingCount, 1),
    rating_count: stats.ratingCount,
  };
}
