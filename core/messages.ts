/**
 * What the bot tells people when something is not theirs to fix, written once for Slack, Discord
 * and the queue's worker. Errors the user caused carry their own message (InvalidInputError).
 */
export const MESSAGES = {
  /** Computing the answer failed. */
  apology: "Sorry, something went wrong while finding your movies. Please try again in a moment.",
  /** The request could not even be queued. */
  couldNotStart: "Sorry, I couldn't start on that just now. Please try again in a moment.",
  /** The queue gave up after its retries. */
  gaveUp: "Sorry, I could not get your movies to you this time. Please run the command again.",
  /** A button or menu named a movie the catalogue no longer has. */
  movieGone: "That movie is no longer in the catalog; try /recommend again.",
  /** A button this version of the bot does not understand. */
  staleButton: "That button is out of date; run /recommend again.",
  /** "Share to channel" after its cards' time limit (SHARE_TTL_MINUTES), or with an unknown id. */
  shareExpired: "This share has expired — run /recommend again.",
  /** The shared cards could not be read (their store is down). */
  shareFailed: "Sorry, I couldn't share those just now. Please try again in a moment.",
} as const;
