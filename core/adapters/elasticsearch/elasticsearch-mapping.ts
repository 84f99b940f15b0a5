import type { estypes } from "@elastic/elasticsearch";
import type { MovieStats } from "../../catalog/catalog.ts";
import { type Movie, movieLabel } from "../../catalog/movie.ts";

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
    analyzer: {
      folded: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding"] },
    },
  },
};

export const MOVIES_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    movieId: { type: "integer" },
    title: { type: "search_as_you_type", analyzer: "folded", max_shingle_size: 3 },
    raw_title: { type: "text", analyzer: "folded" },
    alt_titles: { type: "search_as_you_type", analyzer: "folded", max_shingle_size: 3 },
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
