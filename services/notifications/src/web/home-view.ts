/**
 * What the worker's home shows (WEB.md, "The worker's home"), from the reads the home makes of
 * this service's table: the lists as govukTaskList items, each linking to its thing. Pure.
 */

import type { Role } from '@fsp/shared/people';
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { londonDateText } from '@fsp/shared/time/london-words';
import type { OpenedCase, ScheduledSupervision } from '../domain/desk';
import { type HomeSection, homeSectionsFor } from '../domain/desk';
import type { WebhookDelivery } from '../store/delivery-store';
import type { DeskReferral, Listed } from '../store/desk-store';
import { unreadInWords } from './inbox-view';
import { capitalised, whenInWords } from './when';

/** One item of govuk-frontend's task list. */
export interface TaskListItem {
  title: { text: string };
  href: string;
  hint?: { text: string };
  /** A short tag; an empty text where the title and hint say it all. */
  status: { tag: { text: string; classes: string } } | { text: string };
}

export interface ListView {
  items: TaskListItem[];
  /** There are more than the home shows: it links to the whole list. */
  more: boolean;
}

/** What the home read, each list only for the sections the worker's roles put on it. */
export interface HomeReads {
  unreadCount: number;
  referralsDue?: Listed<DeskReferral>;
  teamCases?: Listed<OpenedCase>;
  supervisions?: Listed<ScheduledSupervision>;
  failedDeliveries?: Listed<WebhookDelivery>;
}

export interface HomeView {
  /** "Tuesday 3 December 2026". */
  today: string;
  unreadCount: number;
  /** "You have 3 unread items". */
  unreadText: string;
  sections: HomeSection[];
  referralsDue?: ListView & { overdue: number; dueToday: number };
  teamCases?: ListView;
  supervisions?: ListView;
  failedDeliveries?: ListView;
}

const RED = 'govuk-tag--red';
const YELLOW = 'govuk-tag--yellow';

/** The tag says overdue or due today (a tag stays short); the hint says by how much, and when it came in. */
export function referralItem(referral: DeskReferral, now: Date): TaskListItem {
  const deadline = deadlineInWords(now, new Date(referral.decisionDueBy));
  const overdue = deadline.state === 'overdue';
  const sentences = [
    `Decision ${deadline.text === 'due today' ? 'due by the end of today' : deadline.text}.`,
    `Received ${whenInWords(now, new Date(referral.receivedAt))}.`,
    ...(referral.escalated ? ['Escalated to the front door manager.'] : []),
  ];
  return {
    title: { text: referral.reference },
    href: `/front-door/referrals/${encodeURIComponent(referral.referralId)}`,
    hint: { text: sentences.join(' ') },
    status: { tag: overdue ? { text: 'Overdue', classes: RED } : { text: capitalised(deadline.text), classes: YELLOW } },
  };
}

/** The deadline goes in the hint, so that a narrow screen keeps the reference on one line; a tag only when overdue. */
export function caseItem(opened: OpenedCase, now: Date): TaskListItem {
  const assessment = deadlineInWords(now, new Date(opened.assessmentDueBy));
  return {
    title: { text: opened.reference ?? 'Case opened from a referral' },
    href: `/cases/${encodeURIComponent(opened.caseId)}`,
    hint: { text: `Opened ${whenInWords(now, new Date(opened.openedAt))}. Assessment ${assessment.text}.` },
    status: assessment.state === 'overdue' ? { tag: { text: 'Overdue', classes: RED } } : { text: '' },
  };
}

export function supervisionItem(supervision: ScheduledSupervision, now: Date): TaskListItem {
  return {
    title: { text: `Group supervision ${whenInWords(now, new Date(supervision.scheduledFor))}` },
    href: `/supervision/cases/${encodeURIComponent(supervision.caseId)}`,
    hint: { text: `Due by ${londonDateText(new Date(supervision.dueBy))}.` },
    status: { text: '' },
  };
}

export function failedDeliveryItem(delivery: WebhookDelivery, now: Date): TaskListItem {
  const failedAt = delivery.deadAt ?? delivery.lastAttemptAt;
  const sentences = [
    `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}.`,
    ...(delivery.lastResult ? [`Last result: ${delivery.lastResult}.`] : []),
    ...(failedAt ? [`Stopped ${whenInWords(now, new Date(failedAt))}.`] : []),
  ];
  return {
    title: { text: `${delivery.agencyName ?? delivery.agencyId}: ${delivery.reference}` },
    href: '/admin/webhook-deliveries',
    hint: { text: sentences.join(' ') },
    status: { tag: { text: 'Failed', classes: RED } },
  };
}

const listOf = <T>(listed: Listed<T>, item: (value: T) => TaskListItem): ListView => ({ items: listed.items.map(item), more: listed.more });

export function homeView(roles: readonly Role[], reads: HomeReads, now: Date): HomeView {
  const view: HomeView = {
    today: londonDateText(now),
    unreadCount: reads.unreadCount,
    unreadText: unreadInWords(reads.unreadCount),
    sections: homeSectionsFor(roles),
  };
  if (reads.referralsDue) {
    const states = reads.referralsDue.items.map((referral) => deadlineInWords(now, new Date(referral.decisionDueBy)).state);
    view.referralsDue = {
      ...listOf(reads.referralsDue, (referral) => referralItem(referral, now)),
      overdue: states.filter((state) => state === 'overdue').length,
      dueToday: states.filter((state) => state === 'due-today').length,
    };
  }
  if (reads.teamCases) view.teamCases = listOf(reads.teamCases, (opened) => caseItem(opened, now));
  if (reads.supervisions) view.supervisions = listOf(reads.supervisions, (supervision) => supervisionItem(supervision, now));
  if (reads.failedDeliveries) view.failedDeliveries = listOf(reads.failedDeliveries, (delivery) => failedDeliveryItem(delivery, now));
  return view;
}
