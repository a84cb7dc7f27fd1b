/**
 * Who an inbox item is addressed to. A mailbox is a team (`team:<teamId>`) or one person
 * (`user:<userId>`). There is no staff directory yet, so facts are addressed to teams: every worker
 * whose token names the team sees the item, and nobody has to keep a membership list in step.
 * Personal mailboxes exist in the model for facts that name a worker (allocation, actions).
 */

export type Mailbox = `team:${string}` | `user:${string}`;

export const teamMailbox = (teamId: string): Mailbox => `team:${teamId}`;
export const userMailbox = (userId: string): Mailbox => `user:${userId}`;

/** The two mailboxes a worker reads: their own and their team's. */
export interface WorkerMailboxes {
  user: Mailbox;
  team: Mailbox;
}

export type MailboxRole = keyof WorkerMailboxes;
export const MAILBOX_ROLES: readonly MailboxRole[] = ['user', 'team'];

export const mailboxesOf = (worker: { userId: string; teamId: string }): WorkerMailboxes => ({
  user: userMailbox(worker.userId),
  team: teamMailbox(worker.teamId),
});
