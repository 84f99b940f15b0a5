/**
 * All ratings in column form. Typed arrays keep 25M ratings in ~300 MB instead of gigabytes of
 * objects. Values are the implicit rating `rating_im = rating / 5` (0.1 .. 1.0).
 */
export interface Ratings {
  readonly length: number;
  readonly userIds: Int32Array;
  readonly movieIds: Int32Array;
  readonly values: Float32Array;
}

/** A movie is "liked" when rating_im >= 0.8 (4 stars of 5), as in the course project. */
export const LIKED_THRESHOLD = 0.8;
