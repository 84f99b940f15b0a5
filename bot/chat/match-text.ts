import type { TitleMatch } from "../../core/cards/card-service.ts";
import type { Suggestion } from "../../core/search/movie-search.ts";

/**
 * What Slack and Discord say about the titles a user typed, said once: each title that was used
 * as "toy stroy → Toy Story (1995)", and for a weak match, why it was not used and the candidates
 * to pick from (as buttons).
 */

/** How many candidates a weak match offers as buttons. */
export const MAX_CANDIDATES = 3;

/** "toy stroy → Toy Story (1995)", for each typed title that was used. */
export function matchedLines(matches: readonly TitleMatch[] | undefined): string[] {
  return (matches ?? []).flatMap((m) => (m.match ? [`${m.typed} → ${m.match.label}`] : []));
}

/** The typed titles held back, each with the candidates to offer. */
export function weakMatches(
  matches: readonly TitleMatch[] | undefined,
): { typed: string; prompt: string; candidates: Suggestion[] }[] {
  return (matches ?? []).flatMap((m) =>
    m.weak && m.candidates.length > 0
      ? [
          {
            typed: m.typed,
            prompt:
              m.weak === "close_second"
                ? `“${m.typed}” could be several movies. Which one did you mean?`
                : `Nothing matches “${m.typed}” closely. Did you mean one of these?`,
            candidates: m.candidates.slice(0, MAX_CANDIDATES),
          },
        ]
      : [],
  );
}
