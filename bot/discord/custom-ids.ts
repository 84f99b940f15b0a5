/**
 * custom_id values of our components. Discord echoes them back on click and caps them at 100
 * characters: small state only (a movie id; a share's short id, its cards being kept server-side).
 */
export const CUSTOM_ID_MAX = 100;
export const MORE_LIKE_ID = "more-like";
const SHARE_PREFIX = "share:";
/** A candidate button of a weak title match: "more-like:1196" recommends from that movie. */
const PICK_PREFIX = `${MORE_LIKE_ID}:`;

export function pickCustomId(movieId: number): string {
  return `${PICK_PREFIX}${movieId}`;
}

/** The movie id of a candidate button, as the "More like…" select's value; null otherwise. */
export function parsePickCustomId(customId: string): string | null {
  return customId.startsWith(PICK_PREFIX) ? customId.slice(PICK_PREFIX.length) : null;
}

/** "share:<id>": the id the private result's cards are kept under (SharedCardsStore). */
export function shareCustomId(shareId: string): string {
  return `${SHARE_PREFIX}${shareId}`;
}

/** The share id of a Share button (possibly unknown or expired), or null when it is not one. */
export function parseShareCustomId(customId: string): string | null {
  return customId.startsWith(SHARE_PREFIX) ? customId.slice(SHARE_PREFIX.length) : null;
}
