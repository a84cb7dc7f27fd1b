/**
 * Who an inbox item is addressed to, and which items a worker reads. A mailbox is a team
 * (`team:<teamId>`) or one person (`user:<userId>`). Facts are addressed to teams: every worker
 * whose session names the team sees the item, and nobody keeps a membership list in step.
 * Personal mailboxes are for facts that name a worker (allocation, actions).
 *
 * Shared because two kinds of reader need the same answer: notifications, which keeps the inbox,
 * and every other service's pages, which show the Inbox count from a projection of notifications'
 * events (ADR 0013). Pure: no I/O.
 */

export type Mailbox = `team:${string}` | `user:${string}`;

/** A mailbox as text: `team:` or `user:` and an id without spaces. */
export const MAILBOX_PATTERN = /^(team|user):\S+$/;

export const teamMailbox = (teamId: string): Mailbox => `team:${teamId}`;
export const userMailbox = (userId: string): Mailbox => `user:${userId}`;

/** The two mailboxes a worker reads: their own and their team's. */
export interface WorkerMailboxes {
  user: Mailbox;
  team: Mailbox;
}

export type MailboxRole = keyof WorkerMailboxes;
export const MAILBOX_ROLES: readonly MailboxRole[] = ['user', 'team'];

/** The worker as the session or token names them: enough to find their mailboxes. */
export interface MailboxReader {
  userId: string;
  teamId: string;
}

export const mailboxesOf = (worker: MailboxReader): WorkerMailboxes => ({
  user: userMailbox(worker.userId),
  team: teamMailbox(worker.teamId),
});
