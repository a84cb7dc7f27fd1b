/**
 * The example pages (templates/fsp/examples) with fictional data: what the tests render, check in
 * a browser and screenshot, and a starting point for a service's first page.
 */

import type { Layout } from './page';
import { REFERRAL_FORM_LAYOUT } from './referral-form';

export interface ExamplePage {
  template: string;
  layout: Layout;
  data: Readonly<Record<string, unknown>>;
}

export const CASE_SUMMARY_EXAMPLE: ExamplePage = {
  template: 'fsp/examples/case-summary.njk',
  layout: {
    title: 'Jones family',
    // A page session's token: the header's "Sign out" form carries it.
    worker: { name: 'Priya Shah', roles: ['team-manager'], csrfToken: 'example-csrf-token' },
    area: 'cases',
    unreadCount: 4,
  },
  data: {
    family: {
      reference: 'FSP-2026-7K3M9Q',
      name: 'Jones family',
      plan: 'Child protection plan',
      children: [
        { name: 'Mia Jones', age: '8 years old' },
        { name: 'Leo Jones', age: '3 years old' },
      ],
      nextVisit: { due: '2026-12-01', status: 'Overdue by 1 working day' },
      visits: [
        { date: '2026-11-17', worker: 'Tom Reid', seen: 'All' },
        { date: '2026-11-03', worker: 'Tom Reid', seen: 'Some' },
        { date: '2026-10-20', worker: 'Aisha Khan', seen: 'All' },
      ],
      timeline: [
        { label: 'Case conference', text: 'Child protection plan agreed.', at: '2026-11-10T14:30:00Z', by: 'Priya Shah' },
        { label: 'Referral accepted', text: 'Strategy discussion held the same day.', at: '2026-10-15T09:00:00Z', by: 'Front door' },
      ],
    },
  },
};

export const REFERRAL_STEP_EXAMPLE: ExamplePage = {
  template: 'fsp/examples/referral-step.njk',
  layout: {
    title: 'Which of these best describes you?',
    ...REFERRAL_FORM_LAYOUT,
    backLink: '/refer',
  },
  data: {
    question: 'Which of these best describes you?',
    answers: [
      { value: 'professional', text: 'I work with children or families' },
      { value: 'public', text: 'I am a member of the public' },
    ],
  },
};

export const EXAMPLE_PAGES: readonly ExamplePage[] = [CASE_SUMMARY_EXAMPLE, REFERRAL_STEP_EXAMPLE];
