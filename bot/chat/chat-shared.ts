import type { Card } from "../../core/cards/card.ts";

/**
 * What Slack and Discord say and do alike, written once: how a movie is labelled and linked, how
 * text is clipped to a platform's limit, how work races a time budget, and (re-exported from the
 * core, where the worker needs them too) the result limit, id parsing, the "is this the user's
 * mistake?" check and the user-facing messages. The renderers only map cards to their platform.
 */
export { movieLabel as cardLabel } from "../../core/catalog/movie.ts";
export { isUserError } from "../../core/errors.ts";
export { MESSAGES } from "../../core/messages.ts";
export { CHAT_RESULT_LIMIT, parseMovieId } from "../../core/requests/recommend-request.ts";

/** A card's title link: TMDB's page, else IMDb's; null when the movie has neither. */
export function cardLink(card: Pick<Card, "tmdbUrl" | "imdbUrl">): string | null {
  return card.tmdbUrl ?? card.imdbUrl;
}

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function clip(text: string, max: number): string {
  // UTF-16 length is never below what Slack or Discord count, so clipping by it is safe.
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export type BudgetOutcome<T> =
  | { status: "done"; value: T }
  | { status: "failed"; error: unknown }
  | { status: "timeout" };

/**
 * Runs work with a time budget: the work gets an AbortSignal that fires when the budget is spent,
 * and the caller gets an answer by then whatever the work does (a backend that ignores the
 * signal and hangs still loses the race). The timer is cleared once there is an answer: one left
 * to fire (AbortSignal.timeout's) cost every answered request an abort event seconds later.
 */
export async function withinBudget<T>(
  budgetMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<BudgetOutcome<T>> {
  const controller = new AbortController();
  const signal = controller.signal;
  const timer = setTimeout(() => {
    // The reason AbortSignal.timeout gives, for work that tells a timeout from other aborts.
    controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }, budgetMs);
  // Registered before the work sees the signal, so a timeout wins over the AbortError it causes.
  const timedOut = new Promise<BudgetOutcome<T>>((resolve) => {
    signal.addEventListener("abort", () => resolve({ status: "timeout" }), { once: true });
  });
  const running = Promise.resolve()
    .then(() => work(signal))
    .then(
      (value): BudgetOutcome<T> => ({ status: "done", value }),
      (error: unknown): BudgetOutcome<T> =>
        signal.aborted ? { status: "timeout" } : { status: "failed", error },
    );
  try {
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
