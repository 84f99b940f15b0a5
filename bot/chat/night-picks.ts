import type { CardService } from "../../core/cards/card-service.ts";
import type { MemberId, TasteStore } from "../../core/members/taste-store.ts";
import { NIGHT_PICKS } from "../../core/movienight/movie-night-service.ts";
import { cardLabel } from "./chat-shared.ts";

/**
 * A movie-night joiner's picker, saved the same way on Slack and Discord: the ids that name films
 * in the catalogue (each once), the first NIGHT_PICKS of them stored as likes, and the thanks that
 * names them. Too few picks store nothing and say how many there were.
 */
export async function saveNightPicks(
  deps: { cards: Pick<CardService, "movie">; taste: TasteStore },
  member: MemberId,
  values: readonly (string | number)[],
): Promise<{ saved: true; thanks: string } | { saved: false; picked: number }> {
  const picked = [...new Set(values.map(Number))].filter(
    (id) => Number.isInteger(id) && deps.cards.movie(id) !== undefined,
  );
  if (picked.length < NIGHT_PICKS) return { saved: false, picked: picked.length };
  const kept = picked.slice(0, NIGHT_PICKS);
  await deps.taste.addLikes(member, kept);
  const titles = kept
    .map((id) => {
      const movie = deps.cards.movie(id);
      return movie ? cardLabel(movie) : String(id);
    })
    .join(", ");
  return {
    saved: true,
    thanks: `Thanks! You're in, and the films will fit your taste too (${titles}).`,
  };
}
