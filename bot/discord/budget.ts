export type BudgetOutcome<T> =
  | { status: "done"; value: T }
  | { status: "failed"; error: unknown }
  | { status: "timeout" };

/**
 * Runs work with a time budget: the work gets an AbortSignal that fires when the budget is spent,
 * and the caller gets an answer by then whatever the work does (a backend that ignores the
 * signal and hangs still loses the race).
 */
export async function withinBudget<T>(
  budgetMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<BudgetOutcome<T>> {
  const signal = AbortSignal.timeout(budgetMs);
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
  return Promise.race([running, timedOut]);
}
