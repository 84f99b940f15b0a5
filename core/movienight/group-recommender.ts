import type { TasteProfile } from "../members/taste-profile.ts";
import type { Recommender } from "../recommend/recommender.ts";
import { MovieNightError } from "./movie-night.ts";

/** A member of the group: who (for the reason's names) and what they told the bot. */
export interface GroupMember {
  id: string;
  /** How the reason names them: "Anna", or a platform mention such as <@U123>. */
  label: string;
  profile: TasteProfile;
}

export interface GroupPick {
  movieId: number;
  /** The group score: the average of the contributing members' scores (0..1). */
  score: number;
  /** Each contributing member's score for it (0..1), by member id. */
  byMember: Map<string, number>;
  /** "Liked by people who liked Anna's, Ben's and Chloé's picks". */
  reason: string;
}

export interface GroupOptions {
  /**
   * Average without misery: a film any contributing member scores below this (0..1) is dropped.
   * MOVIENIGHT_MISERY; see docs/settings.md for why its default is what it is.
   */
  misery: number;
  /** How deep each member's own list goes (their score is 0 below it). */
  pool?: number;
}

/** How many of each member's recommendations are scored: deep enough for lists to overlap. */
export const GROUP_POOL = 200;
/** The port takes at most 25 liked movies: a member's newest likes. */
const MAX_LIKES = 25;
/** The reason names at most this many members, then "and N more". */
const NAMED_IN_REASON = 3;

/**
 * The group recommendation of a movie night (issue 15).
 *
 * Per-member score, on one scale for every member whatever the recommender's own scores are:
 * each member's likes are the picks of one Recommender call for the `pool` best films, and a
 * film's score for that member is 1 − rank / pool (their first pick 1.0, the 200th 0.005); a film
 * outside their list scores 0. Recommender scores differ in scale between strategies and between
 * members with few and many likes; ranks do not.
 *
 * Then "average without misery" (Masthoff's group aggregation): nothing any member has seen,
 * disliked or liked (they have seen it) is a candidate; a film any contributing member scores
 * below `misery` is dropped; the rest are ranked by the average score. A member with no likes
 * contributes no scores (there is nothing to score from) but their seen and disliked films are
 * still vetoed. A group where nobody has likes gets the popular list, with the same vetoes.
 */
export class GroupRecommender {
  private readonly recommender: Recommender;
  private readonly misery: number;
  private readonly pool: number;

  constructor(recommender: Recommender, options: GroupOptions) {
    this.recommender = recommender;
    this.misery = options.misery;
    this.pool = options.pool ?? GROUP_POOL;
  }

  /** The group's best `limit` films; throws MovieNightError("all_vetoed") rather than return none. */
  async recommend(members: readonly GroupMember[], limit: number): Promise<GroupPick[]> {
    if (members.length === 0)
      throw new MovieNightError("no_members", "Nobody has joined this movie night.");
    const vetoed = new Set<number>();
    for (const { profile } of members) {
      for (const id of [...profile.seen, ...profile.dislikes, ...profile.likes]) vetoed.add(id);
    }
    const contributing = members.filter((m) => m.profile.likes.length > 0);
    // Ask past the vetoes, so they do not empty a member's list.
    const ask = this.pool + vetoed.size;
    const lists =
      contributing.length > 0
        ? await Promise.all(
            contributing.map((m) =>
              this.recommender.recommend(m.profile.likes.slice(0, MAX_LIKES), ask),
            ),
          )
        : [await this.recommender.popular(ask)];

    const scores = new Map<number, Map<string, number>>();
    lists.forEach((list, index) => {
      const member = contributing[index]?.id ?? "";
      const kept = list.items.filter((item) => !vetoed.has(item.movieId)).slice(0, this.pool);
      kept.forEach((item, rank) => {
        const byMember = scores.get(item.movieId) ?? new Map<string, number>();
        byMember.set(member, 1 - rank / this.pool);
        scores.set(item.movieId, byMember);
      });
    });

    const voters = contributing.length > 0 ? contributing.map((m) => m.id) : [""];
    const picks: GroupPick[] = [];
    for (const [movieId, byMember] of scores) {
      const each = voters.map((id) => byMember.get(id) ?? 0);
      if (each.some((score) => score < this.misery)) continue;
      const score = each.reduce((a, b) => a + b, 0) / each.length;
      picks.push({ movieId, score, byMember, reason: this.reasonFor(contributing, byMember) });
    }
    picks.sort((a, b) => b.score - a.score || a.movieId - b.movieId);
    if (picks.length === 0) {
      throw new MovieNightError(
        "all_vetoed",
        "Every film this group could watch was vetoed: someone has seen it, disliked it, or " +
          "it is far from someone's taste. Join with fewer people, or start again once members " +
          "have liked a few more films.",
      );
    }
    return picks.slice(0, limit);
  }

  /** Names the members whose lists hold the film, the strongest first. */
  private reasonFor(contributing: readonly GroupMember[], byMember: Map<string, number>): string {
    if (contributing.length === 0) return "Popular with MovieLens raters";
    const names = contributing
      .filter((m) => (byMember.get(m.id) ?? 0) > 0)
      .sort((a, b) => (byMember.get(b.id) ?? 0) - (byMember.get(a.id) ?? 0))
      .map((m) => `${m.label}'s`);
    const shown = names.slice(0, NAMED_IN_REASON);
    const more = names.length - shown.length;
    const list =
      more > 0
        ? `${shown.join(", ")} and ${more} more`
        : shown.length > 1
          ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`
          : (shown[0] ?? "");
    return `Liked by people who liked ${list} picks`;
  }
}
