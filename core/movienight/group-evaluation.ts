import { EMPTY_PROFILE } from "../members/taste-profile.ts";
import type { EvalCase } from "../recommend/evaluation.ts";
import type { Recommender } from "../recommend/recommender.ts";
import { mulberry32 } from "../recommend/wals-trainer.ts";
import { type GroupMember, GroupRecommender } from "./group-recommender.ts";
import { MovieNightError } from "./movie-night.ts";

/** The poll's length: what the group figure judges. */
export const GROUP_TOP = 5;
/** The group recommendation must satisfy this many times the popular list's share. */
export const GROUP_TARGET_RATIO = 1.2;

export interface GroupFigure {
  groups: number;
  members: number;
  /** Share of members with at least one of their held-out liked films in the group's top 5. */
  share: number;
  /** The same share for the popular list's top 5 (minus what any member picked). */
  popularShare: number;
  /** The ceiling's hint: members with a hit in their own top 5 (each recommended for alone). */
  aloneShare: number;
  /** Groups where every candidate was vetoed (they count as no hit for anyone). */
  vetoed: number;
}

/**
 * Groups of 3–5 held-out users (sizes in turn, members drawn by a fixed seed). Each member's
 * profile is their input likes from the evaluation split (what they would have told the bot);
 * the truth is the rest of their liked movies, which no model saw.
 */
export function groupsOf(cases: readonly EvalCase[], seed: number): EvalCase[][] {
  const random = mulberry32(seed);
  const shuffled = [...cases];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as EvalCase, shuffled[i] as EvalCase];
  }
  const groups: EvalCase[][] = [];
  let at = 0;
  for (let size = 3; at + size <= shuffled.length; size = size === 5 ? 3 : size + 1) {
    groups.push(shuffled.slice(at, at + size));
    at += size;
  }
  return groups;
}

export async function evaluateGroups(
  recommender: Recommender,
  cases: readonly EvalCase[],
  options: { misery: number; seed: number; pool?: number },
): Promise<GroupFigure> {
  const group = new GroupRecommender(recommender, {
    misery: options.misery,
    ...(options.pool ? { pool: options.pool } : {}),
  });
  const groups = groupsOf(cases, options.seed);
  let members = 0;
  let satisfied = 0;
  let popularSatisfied = 0;
  let vetoed = 0;
  let alone = 0;
  for (const cases of groups) {
    const profiles: GroupMember[] = cases.map((c) => ({
      id: String(c.userId),
      label: `user ${c.userId}`,
      profile: { ...EMPTY_PROFILE, likes: c.input, byMovie: new Map() },
    }));
    let top: number[] = [];
    try {
      top = (await group.recommend(profiles, GROUP_TOP)).map((p) => p.movieId);
    } catch (error) {
      if (!(error instanceof MovieNightError)) throw error;
      vetoed++;
    }
    const picked = new Set(cases.flatMap((c) => c.input));
    const popular = (await recommender.popular(GROUP_TOP + picked.size)).items
      .map((i) => i.movieId)
      .filter((id) => !picked.has(id))
      .slice(0, GROUP_TOP);
    for (const c of cases) {
      members++;
      if (top.some((id) => c.truth.has(id))) satisfied++;
      if (popular.some((id) => c.truth.has(id))) popularSatisfied++;
      const own = (await recommender.recommend(c.input, GROUP_TOP)).items.map((i) => i.movieId);
      if (own.some((id) => c.truth.has(id))) alone++;
    }
  }
  return {
    groups: groups.length,
    members,
    share: members === 0 ? 0 : satisfied / members,
    popularShare: members === 0 ? 0 : popularSatisfied / members,
    aloneShare: members === 0 ? 0 : alone / members,
    vetoed,
  };
}
