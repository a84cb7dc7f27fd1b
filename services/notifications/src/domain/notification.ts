/**
 * What people are told, and where. Each platform fact becomes zero or more notification drafts,
 * one per (recipient mailbox, channel); the draft's id is derived from exactly that triple and the
 * fact's time, so delivering the same fact again produces the same id and the store's conditional
 * write turns the repeat into a no-op (DOMAIN.md: each (fact, recipient, channel) is delivered once).
 */
import { createHash } from 'node:crypto';
import type { EventData } from '@fsp/shared/events/define';
import type { ADULT_SPECIALISMS, caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { referralDecisionDueV1, referralDecisionOverdueV1, referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionBecameOverdueV1,
  supervisionScheduledV1,
} from '@fsp/shared/events/definitions/supervision';
import { type Mailbox, teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateText, londonDateTimeText, londonDeadlineText } from '@fsp/shared/time/london-words';
import { localDateText, WEEKDAY_NAMES } from '@fsp/shared/time/words';

export const NOTIFICATION_KINDS = [
  'referral-submitted',
  'case-opened',
  'case-allocated',
  'supervision-scheduled',
  'referral-decision-due',
  'referral-decision-overdue',
  'supervision-overdue',
  'supervision-action-assigned',
  'supervision-action-overdue',
  'supervision-action-escalated',
  // Issue 15 Deliver 5: a worker's email could not be delivered (src/schedules/worker-mail.ts).
  'email-failed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Inbox items are drafted here; email and partner webhooks have their own ids (referral-email.ts, webhook.ts). */
export type Channel = 'inbox';

/** The fact a notification comes from: its identity and its time, from the event's metadata. */
export interface FactReference {
  eventId: string;
  /** ISO instant, any offset. */
  occurredAt: string;
  correlationId: string;
}

export interface NotificationDraft {
  notificationId: string;
  mailbox: Mailbox;
  channel: Channel;
  kind: NotificationKind;
  title: string;
  /** A path in the workers' web app. */
  link: string;
  /** When the fact happened (UTC ISO, millisecond precision): the inbox's order, identical on every redelivery. */
  createdAt: string;
  sourceEventId: string;
  correlationId: string;
  /**
   * The fact's natural key (`SupervisionActionBecameOverdue:<caseId>:<actionId>:team-manager`), for
   * facts a producer may publish again under a new event id: the store then delivers at most one item
   * per (key, mailbox, channel), whatever the event id or time. Absent: the event id is the key.
   */
  factKey?: string;
  /** The case (or referral) the item is about, by the reference workers name it by: the inbox's case filter. */
  reference?: string;
  /**
   * The team the fact is about (the case's holding team): whose manager receives a personal item when
   * its recipient has left (is not in the directory, or disabled). Set on every draft for a user mailbox.
   */
  teamId?: string;
}

/**
 * `20260105T093000000Z-<32 hex>`: the fact's UTC time, fixed width, then a hash of (fact, mailbox,
 * channel). Ids therefore sort by time, which is what lets the id itself be the sort key of an inbox.
 */
export const NOTIFICATION_ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{32}$/;

const compactInstant = (iso: string): string => iso.replace(/[-:.]/g, '');

/** UTC, milliseconds, `Z`: one spelling per instant, whatever offset the producer wrote. */
export function canonicalInstant(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an instant: ${iso}`);
  const canonical = instant.toISOString();
  // Years beyond 9999 would break the fixed-width id; no fact of this platform can be that late.
  if (canonical.length !== 24) throw new RangeError(`instant out of range for a notification: ${iso}`);
  return canonical;
}

export function notificationIdOf(fact: Pick<FactReference, 'eventId' | 'occurredAt'>, mailbox: Mailbox, channel: Channel): string {
  const digest = createHash('sha256').update(`${fact.eventId}\n${mailbox}\n${channel}`).digest('hex').slice(0, 32);
  return `${compactInstant(canonicalInstant(fact.occurredAt))}-${digest}`;
}

/**
 * The digest of a fact known by its natural key, for one mailbox and channel: the same for every
 * event that carries that fact (a producer's retry under a new event id, at a new time), so the store
 * can refuse a second item for it (src/store/inbox-store.ts, the fact marker).
 */
export function factDigestOf(factKey: string, mailbox: Mailbox, channel: Channel): string {
  return createHash('sha256').update(`fact\n${factKey}\n${mailbox}\n${channel}`).digest('hex').slice(0, 32);
}

/** As `notificationIdOf`, for a fact known by its natural key: the event's time, then the fact's digest. */
export function factNotificationIdOf(factKey: string, occurredAt: string, mailbox: Mailbox, channel: Channel): string {
  return `${compactInstant(canonicalInstant(occurredAt))}-${factDigestOf(factKey, mailbox, channel)}`;
}

function inboxDraft(
  fact: FactReference,
  mailbox: Mailbox,
  content: { kind: NotificationKind; title: string; link: string; reference?: string | undefined },
  factKey?: string,
): NotificationDraft {
  const { reference, ...shown } = content;
  return {
    notificationId:
      factKey === undefined ? notificationIdOf(fact, mailbox, 'inbox') : factNotificationIdOf(factKey, fact.occurredAt, mailbox, 'inbox'),
    mailbox,
    channel: 'inbox',
    ...shown,
    createdAt: canonicalInstant(fact.occurredAt),
    sourceEventId: fact.eventId,
    correlationId: fact.correlationId,
    ...(factKey === undefined ? {} : { factKey }),
    ...(reference === undefined ? {} : { reference }),
  };
}

// Ids in links need no escaping: the event contracts' idSchema allows only letters, digits and . _ : -

/** The front door decides every referral within a working day, so the whole front-door team is told. */
export function referralSubmittedNotifications(
  data: EventData<typeof referralSubmittedV1>,
  fact: FactReference,
  frontDoorTeamId: string,
): NotificationDraft[] {
  return [
    inboxDraft(fact, teamMailbox(frontDoorTeamId), {
      kind: 'referral-submitted',
      title: `New referral ${data.reference} — decision due by ${londonDeadlineText(new Date(data.decisionDueBy))}`,
      link: `/front-door/referrals/${data.referralId}`,
      reference: data.reference,
    }),
  ];
}

/**
 * The team that holds the new case allocates it. CaseOpened v1 says nothing about urgency, so the
 * wording cannot either; a later version carrying the flag can add it.
 */
export function caseOpenedNotifications(data: EventData<typeof caseOpenedV1>, fact: FactReference): NotificationDraft[] {
  return [
    inboxDraft(fact, teamMailbox(data.teamId), {
      kind: 'case-opened',
      title: 'Case opened from referral — allocate a social worker',
      link: `/cases/${data.caseId}`,
      reference: data.reference,
    }),
  ];
}

/** What an allocated worker is on the case, in the words the case pages use. */
const SPECIALIST_WORDS: Readonly<Record<(typeof ADULT_SPECIALISMS)[number], string>> = {
  'domestic-abuse-victim': 'domestic abuse worker (victims)',
  'domestic-abuse-perpetrator': 'domestic abuse worker (perpetrators)',
  'mental-health': 'mental health worker',
  'substance-misuse': 'substance misuse worker',
};

const allocatedAs = (data: EventData<typeof caseAllocatedV1>): string =>
  data.role === 'social-worker' ? 'social worker' : data.specialism ? SPECIALIST_WORDS[data.specialism] : 'adult specialist';

/**
 * The worker allocated to a case is told, in their own mailbox (DOMAIN.md, Notifications: "allocated
 * to a case"): the case by its reference, what they are on it, and whether they take over from
 * someone. Their team is not told: the team manager allocated, and the case's team sees it on the case.
 */
export function caseAllocatedNotifications(data: EventData<typeof caseAllocatedV1>, fact: FactReference): NotificationDraft[] {
  const as = data.previousWorkerId !== undefined ? `the new ${allocatedAs(data)}` : allocatedAs(data);
  return [
    inboxDraft(fact, userMailbox(data.workerId), {
      kind: 'case-allocated',
      title: `You have been allocated to case ${data.reference} as ${as}`,
      link: `/cases/${data.caseId}`,
      reference: data.reference,
    }),
  ];
}

/** Everyone in the case's team takes part in group supervision, so the team is told when and by when. */
export function supervisionScheduledNotifications(
  data: EventData<typeof supervisionScheduledV1>,
  fact: FactReference,
): NotificationDraft[] {
  return [
    inboxDraft(fact, teamMailbox(data.teamId), {
      kind: 'supervision-scheduled',
      title: `Group supervision scheduled for ${londonDateTimeText(new Date(data.scheduledFor))}, due by ${londonDateText(new Date(data.dueBy))}`,
      link: `/supervision/cases/${data.caseId}`,
      reference: data.reference,
    }),
  ];
}

const sameLondonDay = (a: Date, b: Date): boolean => londonDateOf(a) === londonDateOf(b);

/** The front door is reminded of a referral still undecided as its deadline nears. */
export function referralDecisionDueNotifications(
  data: EventData<typeof referralDecisionDueV1>,
  fact: FactReference,
  frontDoorTeamId: string,
): NotificationDraft[] {
  const due = new Date(data.decisionDueBy);
  const deadline = londonDeadlineText(due);
  // Reminders go out on the deadline's own day, so it usually reads "by the end of today".
  const by = sameLondonDay(due, new Date(fact.occurredAt)) && deadline.startsWith('the end of ') ? 'the end of today' : deadline;
  return [
    inboxDraft(fact, teamMailbox(frontDoorTeamId), {
      kind: 'referral-decision-due',
      title: `Decision due by ${by}: ${data.reference}`,
      link: `/front-door/referrals/${data.referralId}`,
      reference: data.reference,
    }),
  ];
}

/**
 * A referral past its deadline is escalated (DOMAIN.md: escalations go to the team manager when a
 * timescale is breached). There is no staff directory to name the front door's manager, and the
 * manager reads the front-door team mailbox, so the escalation is one item there, of its own kind
 * ('referral-decision-overdue') so that it can be told apart and, with a directory, re-addressed.
 */
export function referralDecisionOverdueNotifications(
  data: EventData<typeof referralDecisionOverdueV1>,
  fact: FactReference,
  frontDoorTeamId: string,
): NotificationDraft[] {
  return [
    inboxDraft(fact, teamMailbox(frontDoorTeamId), {
      kind: 'referral-decision-overdue',
      title: `Overdue: ${data.reference} — the decision was due by ${londonDeadlineText(new Date(data.decisionDueBy))}; escalated to the front-door manager`,
      link: `/front-door/referrals/${data.referralId}`,
      reference: data.reference,
    }),
  ];
}

/**
 * Where an escalation to a team's manager goes: each team manager's own mailbox, as the directory
 * lists them now; a team with none listed (a vacancy, a directory not yet set up) gets it in its own
 * mailbox, which whoever covers reads, rather than nobody.
 */
export const teamManagerMailboxes = (teamId: string, managerIds: readonly string[]): Mailbox[] =>
  managerIds.length > 0 ? [...new Set(managerIds)].map(userMailbox) : [teamMailbox(teamId)];

/** "Tuesday 17 February 2026" for the calendar date `2026-02-17` (a London day, as supervision's due dates are). */
function dueDateText(date: string): string {
  const weekday = WEEKDAY_NAMES[new Date(`${date}T00:00:00.000Z`).getUTCDay()];
  return `${weekday} ${localDateText(date)}`;
}

/**
 * A supervision not held by its due date is escalated to the team manager, who chairs group
 * supervision (DOMAIN.md, Group supervision): one item per manager, once per supervision.
 */
export function supervisionBecameOverdueNotifications(
  data: EventData<typeof supervisionBecameOverdueV1>,
  fact: FactReference,
  managerIds: readonly string[],
): NotificationDraft[] {
  const factKey = `SupervisionBecameOverdue:${data.caseId}:${data.supervisionId}`;
  return teamManagerMailboxes(data.teamId, managerIds).map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'supervision-overdue',
        title: `Group supervision of case ${data.reference} is overdue — it was due by ${londonDeadlineText(new Date(data.dueBy))}`,
        link: `/supervision/cases/${data.caseId}`,
        reference: data.reference,
      },
      factKey,
    ),
  );
}

/** The owner of a new supervision action is told in their own mailbox: the case by its reference and the due date, never the action's words. */
export function supervisionActionAssignedNotifications(
  data: EventData<typeof supervisionActionAssignedV1>,
  fact: FactReference,
): NotificationDraft[] {
  return [
    inboxDraft(
      fact,
      userMailbox(data.ownerId),
      {
        kind: 'supervision-action-assigned',
        title: `You have a new action from group supervision of case ${data.reference}, due ${dueDateText(data.dueDate)}`,
        link: '/supervision/actions',
        reference: data.reference,
      },
      `SupervisionActionAssigned:${data.caseId}:${data.actionId}`,
    ),
  ];
}

/**
 * An action past its due date is escalated to its owner first, then (still open) to the team
 * manager(s), each once. The manager's item names the owner (a worker, never the family) when the
 * directory knows them, so that they know whom to ask.
 */
export function supervisionActionBecameOverdueNotifications(
  data: EventData<typeof supervisionActionBecameOverdueV1>,
  fact: FactReference,
  recipients: { managerIds: readonly string[]; ownerName?: string | undefined },
): NotificationDraft[] {
  const factKey = `SupervisionActionBecameOverdue:${data.caseId}:${data.actionId}:${data.escalatedTo}`;
  const due = dueDateText(data.dueDate);
  if (data.escalatedTo === 'owner') {
    return [
      inboxDraft(
        fact,
        userMailbox(data.ownerId),
        {
          kind: 'supervision-action-overdue',
          title: `Your action from group supervision of case ${data.reference} is overdue — it was due ${due}`,
          link: '/supervision/actions',
          reference: data.reference,
        },
        factKey,
      ),
    ];
  }
  const whose = recipients.ownerName === undefined ? 'An action' : `${recipients.ownerName}’s action`;
  return teamManagerMailboxes(data.teamId, recipients.managerIds).map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'supervision-action-escalated',
        title: `${whose} from group supervision of case ${data.reference} is still open — it was due ${due}`,
        link: '/supervision/overdue',
        reference: data.reference,
      },
      factKey,
    ),
  );
}
