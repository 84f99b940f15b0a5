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
  /** The group score: the average of the contributing members' list scores (0..1). */
  score: number;
  /** Each contributing member's score for it (0..1), by member id. */
  byMember: Map<string, number>;
  /** "Liked by people who liked Anna's, Ben's and Chloé's picks". */
  reason: string;
}

export interface GroupOptions {
  /**
   * Without misery: a film any contributing member scores below this (0..1) is dropped.
   * MOVIENIGHT_MISERY; see docs/settings.md for why its default is what it is.
   */
  misery: number;
  /** How deep each member's own list goes (their score is 0 below it). */
  pool?: number;
}

/**
 * How many of each member's recommendations are scored: deep enough that films the whole group may
 * like are in every list, so the misery veto (on this scale) drops only films far from someone's
 * taste: at the default 0.25, outside their first 750.
 */
export const GROUP_POOL = 1000;
/** The port takes at most 25 liked movies: a member's newest likes. */
const MAX_LIKES = 25;
/** The reason names at most this many members, then "and N more". */
const NAMED_IN_REASON = 3;

/**
 * The chance that a member likes the film at `rank` (0 = first) of their own list: the default
 * strategy's hit rate by rank on `npm run eval`'s held-out users (seeds 42, 1, 2, 3: 42 % in the
 * first 5, 28 % at ranks 10–20, 14 % at 50–100, 9 % at 100–200, 2 % at 500–1000), as a curve.
 */
export function chanceAtRank(rank: number): number {
  return 0.45 / (1 + rank / 15) ** 0.7;
}

/**
 * The chance a member likes a film: they like it for their taste (its rank in their list) or, like
 * many raters, because everyone does (its base like-rate, `likedShare`; 0 when the recommender does
 * not say). Popular films are liked by many people whatever their picks, which is why the popular
 * list is strong; ranks alone miss it.
 */
function chanceOfLiking(rank: number | undefined, likedShare: number): number {
  const taste = rank === undefined ? 0 : chanceAtRank(rank);
  return 1 - (1 - taste) * (1 - likedShare);
}

interface Candidate {
  movieId: number;
  /** Each contributing member's list score (1 − rank / pool), by member id. */
  byMember: Map<string, number>;
  /** Each member's chance of liking it, in the order of the members. */
  chances: number[];
  /** The average list score over the contributing members. */
  score: number;
}

/**
 * The group recommendation of a movie night (issue 15).
 *
 * Each member's likes are the picks of one Recommender call for their `pool` best films. A film's
 * score for a member is on their own list's scale, the same for every member whatever the
 * recommender's own scores are: 1 − rank / pool (their first pick 1.0), 0 outside their list.
 * Nothing any member has seen, disliked or liked (they have seen it) is a candidate, and "without
 * misery" (Masthoff): a film any contributing member scores below `misery` is dropped.
 *
 * Then the poll: five films shared by 3–5 people should give each of them at least one film they
 * like, not five films that please the average member. Each member's chance of liking a film is
 * estimated (chanceOfLiking), and the films are chosen one by one, each time the one that most
 * raises the expected number of members who like at least one film, Σ 1 − Π (1 − chance): the
 * greedy choice of a submodular objective, within 1 − 1/e of the best set. A member with no likes
 * counts with the films' base like-rates and still vetoes what they have seen or disliked. A group
 * where nobody has likes gets the popular list, with the same vetoes.
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
    const picks =
      contributing.length > 0
        ? await this.forGroup(members, contributing, vetoed, ask, limit)
        : await this.popular(vetoed, ask, limit);
    if (picks.length === 0) {
      throw new MovieNightError(
        "all_vetoed",
        "Every film this group could watch was vetoed: someone has seen it, disliked it, or " +
          "it is far from someone's taste. Join with fewer people, or start again once members " +
          "have liked a few more films.",
      );
    }
    return picks;
  }

  /** The greedy poll over the films the members' lists hold (see the class comment). */
  private async forGroup(
    members: readonly GroupMember[],
    contributing: readonly GroupMember[],
    vetoed: ReadonlySet<number>,
    ask: number,
    limit: number,
  ): Promise<GroupPick[]> {
    const lists = await Promise.all(
      contributing.map((m) => this.recommender.recommend(m.profile.likes.slice(0, MAX_LIKES), ask)),
    );
    const ranks = new Map<number, Map<string, number>>();
    const likedShare = new Map<number, number>();
    lists.forEach((list, index) => {
      const member = (contributing[index] as GroupMember).id;
      const kept = list.items.filter((item) => !vetoed.has(item.movieId)).slice(0, this.pool);
      kept.forEach((item, rank) => {
        const byMember = ranks.get(item.movieId) ?? new Map<string, number>();
        byMember.set(member, rank);
        ranks.set(item.movieId, byMember);
        if (item.likedShare !== undefined) likedShare.set(item.movieId, item.likedShare);
      });
    });

    const candidates: Candidate[] = [];
    for (const [movieId, rankOf] of ranks) {
      const byMember = new Map<string, number>();
      for (const [id, rank] of rankOf) byMember.set(id, 1 - rank / this.pool);
      const each = contributing.map((m) => byMember.get(m.id) ?? 0);
      if (each.some((score) => score < this.misery)) continue;
      const base = likedShare.get(movieId) ?? 0;
      candidates.push({
        movieId,
        byMember,
        chances: members.map((m) => chanceOfLiking(rankOf.get(m.id), base)),
        score: each.reduce((a, b) => a + b, 0) / each.length,
      });
    }
    // Ties (equal gains) go to the better average, then the lower movieId: the same poll every time.
    candidates.sort((a, b) => b.score - a.score || a.movieId - b.movieId);

    const missed = members.map(() => 1);
    const picks: GroupPick[] = [];
    const taken = new Set<Candidate>();
    while (picks.length < limit) {
      let best: Candidate | null = null;
      let bestGain = -1;
      for (const candidate of candidates) {
        if (taken.has(candidate)) continue;
        let gain = 0;
        candidate.chances.forEach((chance, i) => {
          gain += (missed[i] as number) * chance;
        });
        if (gain > bestGain) {
          best = candidate;
          bestGain = gain;
        }
      }
      if (best === null) break;
      taken.add(best);
      best.chances.forEach((chance, i) => {
        missed[i] = (missed[i] as number) * (1 - chance);
      });
      picks.push({
        movieId: best.movieId,
        score: best.score,
        byMember: best.byMember,
        reason: this.reasonFor(contributing, best.byMember),
      });
    }
    return picks;
  }

  /** Nobody has likes: the popular list in its order, minus what anyone has seen or disliked. */
  private async popular(vetoed: ReadonlySet<number>, ask: number, limit: number) {
    const kept = (await this.recommender.popular(ask)).items
      .filter((item) => !vetoed.has(item.movieId))
      .slice(0, Math.min(this.pool, limit));
    return kept.map((item, rank): GroupPick => {
      const score = 1 - rank / this.pool;
      return {
        movieId: item.movieId,
        score,
        byMember: new Map([["", score]]),
        reason: this.reasonFor([], new Map()),
      };
    });
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
