import { type MemberId, memberId } from "../../core/members/taste-store.ts";

/** The member behind a slash command or a click: workspace (team) + user. Undefined if Slack left one out. */
export function slackMember(
  team: string | undefined,
  user: string | undefined,
): MemberId | undefined {
  if (!team || !user) return undefined;
  try {
    return memberId("slack", team, user);
  } catch {
    return undefined;
  }
}

/** block_actions bodies carry the team on the user (and on `team`, absent in some org installs). */
export function memberOfAction(body: {
  user: { id: string; team_id?: string };
  team: { id: string } | null;
}): MemberId | undefined {
  return slackMember(body.user.team_id ?? body.team?.id, body.user.id);
}
