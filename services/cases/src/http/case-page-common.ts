/**
 * What the cases pages share: the problem page (a page that cannot be shown as asked, saying why
 * in plain words and where to go instead), the one answer for a case the worker may not see, and
 * the rule for what can be a case id in an address.
 */
import type { PageClaims } from '@fsp/shared/http/page-session';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';

/** A case id as ids are made; anything else cannot be a case, and is answered like a missing one without a read. */
export const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export interface Problem {
  heading: string;
  paragraphs: string[];
  link: { href: string; text: string };
}

/** The page for `problem`, drawn by `template` (problem.njk unless said), with `more` beside it in the template's data. */
export function problemPage(
  renderer: PageRenderer,
  claims: PageClaims,
  unreadCount: number,
  problem: Problem,
  status = 404,
  template = 'problem.njk',
  more: Record<string, unknown> = {},
) {
  const { heading, paragraphs, link } = problem;
  return workerPageResult(renderer, {
    template,
    title: heading,
    area: 'cases',
    claims,
    unreadCount,
    status,
    data: { heading, paragraphs, link, ...more },
  });
}

/** GOV.UK's error summary (`errors`: each message and the field it links to) and each field's message (`errorOf`), for a form's template. */
export const formErrorsData = (errors: readonly { field: string; text: string; href: string }[]) => ({
  errors: errors.map((error) => ({ text: error.text, href: error.href })),
  errorOf: Object.fromEntries(errors.map((error) => [error.field, error.text])),
});

/** Another team's case, or one that does not exist: the same page, so existence is not the worker's to learn. */
export const NO_SUCH_CASE: Problem = {
  heading: 'There is no such case that you can see',
  paragraphs: ['It may belong to another team, or the link you followed may be wrong.'],
  link: { href: '/cases', text: 'Go to your team’s cases' },
};

/** Anything is accepted in a page's form and judged by the route, so that a stale link or a tampered form gets a page. */
export const lenient = z.lazy(() => z.record(z.string(), z.union([z.string(), z.array(z.string())])));
export const caseParams = z.lazy(() => z.object({ caseId: z.string() }));
/** One address parameter, accepted as anything (a repeated one arrives as a list) and judged by the route. */
export const lenientParameter = z.lazy(() => z.optional(z.union([z.string(), z.array(z.string())])));

/** A form field's first value (a repeated field arrives as a list). */
export const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A version as a form's hidden field carries it; anything else can match no record, and answers as a changed one. */
export const versionOf = (text: string | undefined): number => (text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : -1);
