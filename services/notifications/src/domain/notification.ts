/**
 * What people are told, and where. Each platform fact becomes zero or more notification drafts,
 * one per (recipient mailbox, channel); the draft's id is derived from exactly that triple and the
 * fact's time, so delivering the same fact again produces the same id and the store's conditional
 * write turns the repeat into a no-op (DOMAIN.md: each (fact, recipient, channel) is delivered once).
 */
import { createHash } from 'node:crypto';
import type { EventData } from '@fsp/shared/events/define';
import type {
  ADULT_SPECIALISMS,
  CASE_STATUS_VALUES,
  CASE_TIMESCALES,
  caseAllocatedV1,
  caseOpenedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleOverdueV1,
} from '@fsp/shared/events/definitions/cases';
import type { referralDecisionDueV1, referralDecisionOverdueV1, referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
  supervisionScheduledV1,
} from '@fsp/shared/events/definitions/supervision';
import { type Mailbox, teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateText, londonDateTimeText, londonDeadlineText } from '@fsp/shared/time/london-words';
import { localDateText, WEEKDAY_NAMES } from '@fsp/shared/time/words';
import type { BreachNotice } from './progress';

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
  // Issue 15 Deliver 1–2: personal notifications and escalations.
  'case-deallocated',
  'case-status-changed',
  'supervision-due-soon',
  'supervision-action-due-soon',
  'case-timescale-due-soon',
  'case-timescale-overdue',
  'case-timescale-escalated',
  'breach-escalated',
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
  content: { kind: NotificationKind; title: string; link: string; reference?: string | undefined; teamId?: string | undefined },
  factKey?: string,
): NotificationDraft {
  const { reference, teamId, ...shown } = content;
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
    // A personal item names the team whose managers receive it if its recipient has left.
    ...(teamId === undefined || !mailbox.startsWith('user:') ? {} : { teamId }),
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
    inboxDraft(
      fact,
      userMailbox(data.workerId),
      {
        kind: 'case-allocated',
        title: `You have been allocated to case ${data.reference} as ${as}`,
        link: `/cases/${data.caseId}`,
        reference: data.reference,
        teamId: data.teamId,
      },
      // Once per allocation, however often cases publishes it.
      `CaseAllocated:${data.caseId}:${data.workerId}:${canonicalInstant(data.allocatedAt)}`,
    ),
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
    inboxDraft(
      fact,
      teamMailbox(frontDoorTeamId),
      {
        kind: 'referral-decision-due',
        title: `Decision due by ${by}: ${data.reference}`,
        link: `/front-door/referrals/${data.referralId}`,
        reference: data.reference,
      },
      `ReferralDecisionDue:${data.referralId}`,
    ),
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
        teamId: data.teamId,
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
        teamId: data.teamId,
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
          teamId: data.teamId,
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
        teamId: data.teamId,
      },
      factKey,
    ),
  );
}

/**
 * A referral past its deadline is escalated (DOMAIN.md: escalations go to the team manager when a
 * timescale is breached): to each of the front-door team's managers as the directory lists them, or
 * the front-door team's mailbox when it lists none; once per referral whatever the event id.
 */
export function referralDecisionOverdueNotifications(
  data: EventData<typeof referralDecisionOverdueV1>,
  fact: FactReference,
  frontDoorTeamId: string,
  managerIds: readonly string[] = [],
): NotificationDraft[] {
  return teamManagerMailboxes(frontDoorTeamId, managerIds).map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'referral-decision-overdue',
        title: `Overdue: ${data.reference} — the decision was due by ${londonDeadlineText(new Date(data.decisionDueBy))}; escalated to the front-door manager`,
        link: `/front-door/referrals/${data.referralId}`,
        reference: data.reference,
        teamId: frontDoorTeamId,
      },
      `ReferralDecisionOverdue:${data.referralId}`,
    ),
  );
}

/**
 * The worker a CaseAllocated took the slot from is told they are no longer on the case (who takes
 * over is on the case page). Once per change, whatever the event id.
 */
export function caseDeallocatedNotifications(data: EventData<typeof caseAllocatedV1>, fact: FactReference): NotificationDraft[] {
  if (data.previousWorkerId === undefined || data.previousWorkerId === data.workerId) return [];
  return [
    inboxDraft(
      fact,
      userMailbox(data.previousWorkerId),
      {
        kind: 'case-deallocated',
        title: `You are no longer allocated to case ${data.reference} as ${allocatedAs(data)}`,
        link: `/cases/${data.caseId}`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `CaseDeallocated:${data.caseId}:${data.previousWorkerId}:${canonicalInstant(data.allocatedAt)}`,
    ),
  ];
}

/**
 * Who is told personally about a case: its allocated workers as notifications last heard (the
 * projection of CaseAllocated), or, before anyone is allocated, the team that holds it.
 */
export const caseWorkerMailboxes = (teamId: string, allocatedWorkerIds: readonly string[]): Mailbox[] =>
  allocatedWorkerIds.length > 0 ? [...new Set(allocatedWorkerIds)].map(userMailbox) : [teamMailbox(teamId)];

const STATUS_WORDS: Readonly<Record<(typeof CASE_STATUS_VALUES)[number], string>> = {
  assessment: 'assessment',
  'child-in-need': 'child in need',
  'child-protection': 'child protection',
  'looked-after': 'looked after',
  closed: 'closed',
};

/**
 * A case's status changed: each worker allocated to it is told (the one who recorded it knows), or
 * the team when nobody is allocated yet. The reason stays on the case: it may name the family's concerns.
 */
export function caseStatusChangedNotifications(
  data: EventData<typeof caseStatusChangedV1>,
  fact: FactReference,
  allocatedWorkerIds: readonly string[],
): NotificationDraft[] {
  const told = allocatedWorkerIds.filter((workerId) => workerId !== data.changedBy);
  if (allocatedWorkerIds.length > 0 && told.length === 0) return [];
  return caseWorkerMailboxes(data.teamId, told).map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'case-status-changed',
        title: `Case ${data.reference} moved from ${STATUS_WORDS[data.from]} to ${STATUS_WORDS[data.to]} on ${dueDateText(data.on)}`,
        link: `/cases/${data.caseId}/path`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `CaseStatusChanged:${data.caseId}:${data.sequence}`,
    ),
  );
}

/**
 * Group supervision is due soon: everyone allocated to the case takes part (DOMAIN.md, Group
 * supervision), so each is told personally; before anyone is allocated, the team.
 */
export function supervisionDueSoonNotifications(
  data: EventData<typeof supervisionDueSoonV1>,
  fact: FactReference,
  allocatedWorkerIds: readonly string[],
): NotificationDraft[] {
  return caseWorkerMailboxes(data.teamId, allocatedWorkerIds).map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'supervision-due-soon',
        title: `Group supervision of case ${data.reference} is due by ${londonDeadlineText(new Date(data.dueBy))} — scheduled for ${londonDateTimeText(new Date(data.scheduledFor))}`,
        link: `/supervision/cases/${data.caseId}`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `SupervisionDueSoon:${data.caseId}:${data.supervisionId}`,
    ),
  );
}

/** An action due soon: its owner is reminded, once per action. */
export function supervisionActionDueSoonNotifications(
  data: EventData<typeof supervisionActionDueSoonV1>,
  fact: FactReference,
): NotificationDraft[] {
  return [
    inboxDraft(
      fact,
      userMailbox(data.ownerId),
      {
        kind: 'supervision-action-due-soon',
        title: `Your action from group supervision of case ${data.reference} is due ${dueDateText(data.dueDate)}`,
        link: '/supervision/actions',
        reference: data.reference,
        teamId: data.teamId,
      },
      `SupervisionActionDueSoon:${data.caseId}:${data.actionId}`,
    ),
  ];
}

/** What a statutory timescale is, as a sentence begins: "The assessment". */
export const TIMESCALE_WORDS: Readonly<Record<(typeof CASE_TIMESCALES)[number], string>> = {
  assessment: 'The assessment',
  'initial-conference': 'The initial child protection conference',
  'cp-review': 'The child protection review',
};

const lowerFirst = (words: string): string => words.charAt(0).toLowerCase() + words.slice(1);

/** The case's social worker (the event names them), or the team that holds the case when it has none. */
const socialWorkerMailbox = (data: { teamId: string; socialWorkerId?: string | undefined }): Mailbox =>
  data.socialWorkerId === undefined ? teamMailbox(data.teamId) : userMailbox(data.socialWorkerId);

/** An assessment, conference or review due within five working days: the social worker is told, once. */
export function caseTimescaleDueSoonNotifications(
  data: EventData<typeof caseTimescaleDueSoonV1>,
  fact: FactReference,
): NotificationDraft[] {
  return [
    inboxDraft(
      fact,
      socialWorkerMailbox(data),
      {
        kind: 'case-timescale-due-soon',
        title: `${TIMESCALE_WORDS[data.timescale]} of case ${data.reference} is due by ${dueDateText(data.dueDate)}`,
        link: `/cases/${data.caseId}/path`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `CaseTimescaleDueSoon:${data.caseId}:${data.targetId}`,
    ),
  ];
}

/**
 * A timescale passed its due day unmet: the social worker is told it is overdue, and each of the
 * team's managers that it is escalated to them (the team's mailbox when the directory lists none).
 * A mailbox that would get both gets the escalation only.
 */
export function caseTimescaleOverdueNotifications(
  data: EventData<typeof caseTimescaleOverdueV1>,
  fact: FactReference,
  managerIds: readonly string[],
): NotificationDraft[] {
  const what = `${TIMESCALE_WORDS[data.timescale]} of case ${data.reference}`;
  const due = dueDateText(data.dueDate);
  const managers = teamManagerMailboxes(data.teamId, managerIds);
  const worker = socialWorkerMailbox(data);
  const escalations = managers.map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'case-timescale-escalated',
        title: `Overdue: ${lowerFirst(what)} was due by ${due} — escalated to you as team manager`,
        link: `/cases/${data.caseId}/path`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `CaseTimescaleEscalated:${data.caseId}:${data.targetId}`,
    ),
  );
  if (managers.includes(worker)) return escalations;
  return [
    inboxDraft(
      fact,
      worker,
      {
        kind: 'case-timescale-overdue',
        title: `Overdue: ${lowerFirst(what)} was due by ${due}`,
        link: `/cases/${data.caseId}/path`,
        reference: data.reference,
        teamId: data.teamId,
      },
      `CaseTimescaleOverdue:${data.caseId}:${data.targetId}`,
    ),
    ...escalations,
  ];
}

/**
 * A breach still open after the configured working days goes to each service manager (the directory's
 * 'service-manager' role), or, when it lists none, once more to the team's own mailbox; once per breach.
 */
export function breachEscalatedNotifications(
  breach: BreachNotice & { key: string },
  escalatedAt: string,
  workingDays: number,
  serviceManagerIds: readonly string[],
): NotificationDraft[] {
  const fact: FactReference = { eventId: `escalation:${breach.key}`, occurredAt: escalatedAt, correlationId: breach.correlationId };
  const mailboxes = serviceManagerIds.length > 0 ? [...new Set(serviceManagerIds)].map(userMailbox) : [teamMailbox(breach.teamId)];
  return mailboxes.map((mailbox) =>
    inboxDraft(
      fact,
      mailbox,
      {
        kind: 'breach-escalated',
        title: `Still overdue after ${workingDays} working ${workingDays === 1 ? 'day' : 'days'}: ${breach.what}, due by ${breach.dueText} — escalated to the service manager`,
        link: breach.link,
        reference: breach.reference,
        teamId: breach.teamId,
      },
      `BreachEscalated:${breach.key}`,
    ),
  );
}

/** What the service manager will be told of a breached case timescale, should it stay open. */
export const caseTimescaleBreach = (data: EventData<typeof caseTimescaleOverdueV1>, fact: FactReference): BreachNotice => ({
  teamId: data.teamId,
  reference: data.reference,
  what: `${lowerFirst(TIMESCALE_WORDS[data.timescale])} of case ${data.reference}`,
  dueText: dueDateText(data.dueDate),
  link: `/cases/${data.caseId}/path`,
  correlationId: fact.correlationId,
  breachedAt: canonicalInstant(fact.occurredAt),
});

/** … of a group supervision not held by its due date. */
export const supervisionBreach = (data: EventData<typeof supervisionBecameOverdueV1>, fact: FactReference): BreachNotice => ({
  teamId: data.teamId,
  reference: data.reference,
  what: `group supervision of case ${data.reference}`,
  dueText: londonDeadlineText(new Date(data.dueBy)),
  link: `/supervision/cases/${data.caseId}`,
  correlationId: fact.correlationId,
  breachedAt: canonicalInstant(fact.occurredAt),
});

/** … of an action escalated to the team manager. */
export const actionBreach = (data: EventData<typeof supervisionActionBecameOverdueV1>, fact: FactReference): BreachNotice => ({
  teamId: data.teamId,
  reference: data.reference,
  what: `an action from group supervision of case ${data.reference}`,
  dueText: dueDateText(data.dueDate),
  link: '/supervision/overdue',
  correlationId: fact.correlationId,
  breachedAt: canonicalInstant(fact.occurredAt),
});

/** … of a referral the front door has not decided by its deadline. */
export const referralDecisionBreach = (
  data: EventData<typeof referralDecisionOverdueV1>,
  fact: FactReference,
  frontDoorTeamId: string,
): BreachNotice => ({
  teamId: frontDoorTeamId,
  reference: data.reference,
  what: `the decision on referral ${data.reference}`,
  dueText: londonDeadlineText(new Date(data.decisionDueBy)),
  link: `/front-door/referrals/${data.referralId}`,
  correlationId: fact.correlationId,
  breachedAt: canonicalInstant(fact.occurredAt),
});
