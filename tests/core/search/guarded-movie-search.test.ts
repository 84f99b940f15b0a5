import { describe, expect, it } from "vitest";
import { isMoviebotError } from "../../../core/errors.ts";
import {
  type FallbackReason,
  GuardedMovieSearch,
  type GuardedMovieSearchOptions,
} from "../../../core/search/guarded-movie-search.ts";
import type { MovieSearch, Suggestion, SuggestOptions } from "../../../core/search/movie-search.ts";

const suggestion = (movieId: number, title: string): Suggestion => ({
  movieId,
  title,
  year: 1995,
  label: `${title} (1995)`,
});

/** A MovieSearch that answers, hangs or throws, and remembers what it was asked. */
class FakeSearch implements MovieSearch {
  mode: "answer" | "hang" | "throw" = "answer";
  readonly calls: { query: string; limit: number; signal?: AbortSignal }[] = [];
  private readonly answer: Suggestion[];
  constructor(answer: Suggestion[]) {
    this.answer = answer;
  }

  suggest(query: string, limit: number, options: SuggestOptions = {}): Promise<Suggestion[]> {
    this.calls.push({ query, limit, ...(options.signal ? { signal: options.signal } : {}) });
    if (this.mode === "hang") return new Promise(() => {}); // ignores its signal on purpose
    if (this.mode === "throw") return Promise.reject(new Error("connection refused"));
    return Promise.resolve(this.answer.slice(0, limit));
  }
}

class FakeClock {
  time = 1_000;
  now(): number {
    return this.time;
  }
}

function setup(overrides: Partial<GuardedMovieSearchOptions> = {}) {
  const primary = new FakeSearch([suggestion(1, "From Primary")]);
  const fallback = new FakeSearch([suggestion(2, "From Fallback")]);
  const fallbacks: { reason: FallbackReason; error: unknown }[] = [];
  const clock = new FakeClock();
  const guard = new GuardedMovieSearch({
    primary,
    fallback,
    budgetMs: 50,
    cacheSize: 100,
    cacheTtlMs: 60_000,
    failureThreshold: 3,
    cooldownMs: 30_000,
    clock,
    onFallback: (reason, error) => fallbacks.push({ reason, error }),
    ...overrides,
  });
  return { primary, fallback, fallbacks, clock, guard };
}

describe("GuardedMovieSearch", () => {
  it("answers from the primary when it is healthy", async () => {
    const { guard, fallback, fallbacks } = setup();
    expect(await guard.suggest("heat", 5)).toEqual([suggestion(1, "From Primary")]);
    expect(fallback.calls).toHaveLength(0);
    expect(fallbacks).toHaveLength(0);
  });

  it("answers from the fallback when the primary hangs, and aborts the primary", async () => {
    const { guard, primary, fallbacks } = setup();
    primary.mode = "hang";
    expect(await guard.suggest("heat", 5)).toEqual([suggestion(2, "From Fallback")]);
    const signal = primary.calls[0]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(isMoviebotError(signal?.reason) && signal.reason.code).toBe("backend_timeout");
    expect(fallbacks.map((f) => f.reason)).toEqual(["timeout"]);
  });

  it("answers from the fallback when the primary throws, and reports the error", async () => {
    const { guard, primary, fallbacks } = setup();
    primary.mode = "throw";
    expect(await guard.suggest("heat", 5)).toEqual([suggestion(2, "From Fallback")]);
    expect(fallbacks[0]?.reason).toBe("error");
    expect(String(fallbacks[0]?.error)).toContain("connection refused");
  });

  it("serves a repeated query from the cache, whatever its case and spacing", async () => {
    const { guard, primary } = setup();
    await guard.suggest("Toy Story", 5);
    expect(await guard.suggest("  toy   STORY ", 5)).toEqual([suggestion(1, "From Primary")]);
    expect(primary.calls).toHaveLength(1);
    await guard.suggest("toy story", 10); // another limit is another answer
    expect(primary.calls).toHaveLength(2);
  });

  it("forgets cached answers after their time to live", async () => {
    const { guard, primary, clock } = setup({ cacheTtlMs: 5_000 });
    await guard.suggest("heat", 5);
    clock.time += 6_000;
    await guard.suggest("heat", 5);
    expect(primary.calls).toHaveLength(2);
  });

  it("does not cache fallback answers: the next keystroke tries the primary again", async () => {
    const { guard, primary } = setup();
    primary.mode = "throw";
    await guard.suggest("heat", 5);
    primary.mode = "answer";
    expect(await guard.suggest("heat", 5)).toEqual([suggestion(1, "From Primary")]);
  });

  it("stops calling a failing primary for a cool-down, then tries it again", async () => {
    const { guard, primary, fallbacks, clock } = setup();
    primary.mode = "throw";
    for (let i = 0; i < 3; i++) await guard.suggest(`query ${i}`, 5);
    expect(primary.calls).toHaveLength(3);

    expect(await guard.suggest("heat", 5)).toEqual([suggestion(2, "From Fallback")]);
    expect(primary.calls).toHaveLength(3);
    expect(fallbacks.at(-1)?.reason).toBe("circuit_open");

    clock.time += 31_000;
    primary.mode = "answer";
    expect(await guard.suggest("heat", 5)).toEqual([suggestion(1, "From Primary")]);
    expect(primary.calls).toHaveLength(4);
  });

  it("gives up without a fallback when the caller itself aborts", async () => {
    const { guard, primary, fallback } = setup({ budgetMs: 10_000 });
    primary.mode = "hang";
    const controller = new AbortController();
    const pending = guard.suggest("heat", 5, { signal: controller.signal });
    controller.abort(new Error("interaction expired"));
    await expect(pending).rejects.toThrow("interaction expired");
    expect(primary.calls[0]?.signal?.aborted).toBe(true);
    expect(fallback.calls).toHaveLength(0);
  });

  it("fails with backend_unavailable when the fallback fails too", async () => {
    const { guard, primary, fallback } = setup();
    primary.mode = "throw";
    fallback.mode = "throw";
    const failure = await guard.suggest("heat", 5).catch((error: unknown) => error);
    expect(isMoviebotError(failure) && failure.code).toBe("backend_unavailable");
  });
});
