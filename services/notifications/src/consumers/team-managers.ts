/** Who manages a team, as the directory lists them now: the people an escalation to "the team manager" goes to. */
import type { Directory } from '@fsp/shared/directory';

/**
 * The user ids of the team's enabled team managers (none: the caller falls back to the team's
 * mailbox, domain/notification.ts `teamManagerMailboxes`). A directory that cannot answer throws,
 * so the message is retried by its queue rather than escalated to nobody.
 */
export async function teamManagerIdsOf(directory: Directory, teamId: string): Promise<string[]> {
  const managers = await directory.teamMembers(teamId, { role: 'team-manager' });
  return managers.map((manager) => manager.userId);
}
