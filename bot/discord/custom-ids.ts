/**
 * custom_id values of our components. Discord echoes them back on click and caps them at 100
 * characters, so they carry state (the shared movie ids) without any server-side session.
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

/** "share:2571,858,…", keeping as many ids (in order) as fit in 100 characters. */
export function shareCustomId(movieIds: readonly number[]): string {
  let id = SHARE_PREFIX;
  for (const movieId of movieIds) {
    const next = id === SHARE_PREFIX ? `${id}${movieId}` : `${id},${movieId}`;
    if (next.length > CUSTOM_ID_MAX) break;
    id = next;
  }
  return id;
}

/** The movie ids of a Share button, or null when the custom_id is not one. */
export function parseShareCustomId(customId: string): number[] | null {
  if (!customId.startsWith(SHARE_PREFIX)) return null;
  const ids = customId
    .slice(SHARE_PREFIX.length)
    .split(",")
    .filter((part) => /^\d{1,9}$/.test(part))
    .map(Number);
  return ids.length > 0 ? ids : null;
}
