/**
 * How the case's modules answer what their work did (the statutory path, the plan, family group
 * decision making, stages of change and the workbook): each module's work gives one of the same
 * outcomes, and each answers them in the same shape with its own words.
 *
 * - JSON (jsonAnswer): a case the worker may not see is 404 exactly as one that does not exist; not
 *   permitted, 403 with who may; a record that moved on since the version sent, 409; a refusal, 409
 *   with its reason when it concerns the record's state (the module's `stateField`), else 400 naming
 *   the field; done, the module's answer.
 * - Pages (pageAnswer): the no-such-case page (404); the module's problem page for one who may not
 *   (403); the form again with what was typed, saying the record changed (409) or with the refusal on
 *   its field (409 for the record's state, 400 for a field); done, a redirect (303) to the page that
 *   says so.
 */
import { formatJsonPath } from '@fsp/shared/events/field-issues';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fsp/shared/http/errors';
import type { HttpResult } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther } from '@fsp/shared/web/page-result';
import { noSuchCasePage } from './break-glass-pages';
import { type Problem, problemPage } from './case-page-common';

/** What a module's work did; the module's outcomes carry more (the case file, the record) beside `kind`. */
export type WorkOutcome =
  | { kind: 'not-found' }
  | { kind: 'not-permitted' }
  | { kind: 'changed' }
  | { kind: 'refused'; field: string; reason: string }
  | { kind: 'recorded' | 'written' };

type Done<O> = Extract<O, { kind: 'recorded' | 'written' }>;
type Changed<O> = Extract<O, { kind: 'changed' }>;
type Refused<O> = Extract<O, { kind: 'refused' }>;

/** The 404 of a case the worker may not see, the same as for one that does not exist. */
export const noSuchCase = () => new NotFound('There is no such case that you can see.');

/** A refused field as a JSON path: 'goals[1].actions[0].who' is $.goals[1].actions[0].who, 'heldOn' is $.heldOn. */
export const jsonPathOfField = (field: string): string =>
  formatJsonPath(
    field
      .split(/[.[\]]+/)
      .filter(Boolean)
      .map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
  );

/** A body the module's schema refused: 400 naming each field as a JSON path, with the schema's message. */
export function invalidBody(issues: readonly { path: readonly PropertyKey[]; message: string }[]): never {
  throw new ValidationFailed(issues.map((issue) => ({ in: 'body', path: formatJsonPath(issue.path), message: issue.message })));
}

export interface JsonWords<O> {
  /** The 403's words: who may do this. */
  notPermitted: string;
  /** The 409's words when the record moved on since the version sent. */
  changed: string | ((outcome: Changed<O>) => string);
  /** The refused field that means the record's state forbids this (409 with the reason) rather than a field to correct (400). */
  stateField?: string;
}

/** A work outcome as the JSON API answers it: `done` for what was done, a thrown problem for the rest. */
export function jsonAnswer<O extends WorkOutcome>(outcome: O, words: JsonWords<O>, done: (outcome: Done<O>) => HttpResult): HttpResult {
  switch (outcome.kind) {
    case 'not-found':
      throw noSuchCase();
    case 'not-permitted':
      throw new Forbidden(words.notPermitted);
    case 'changed':
      throw new Conflict(typeof words.changed === 'string' ? words.changed : words.changed(outcome as Changed<O>));
    case 'refused': {
      const { field, reason } = outcome as Refused<O>;
      if (words.stateField !== undefined && field === words.stateField) throw new Conflict(reason);
      throw new ValidationFailed([{ in: 'body', path: jsonPathOfField(field), message: reason }]);
    }
    default:
      return done(outcome as Done<O>);
  }
}

/** What the form is drawn again with: that the record changed, or the refusal (`E`, the module's form error) on its field; and the status. */
export type AgainState<E> = { changed: true; status: 409 } | { errors: E[]; status: 400 | 409 };

export interface PageWords<O, E> {
  renderer: PageRenderer;
  claims: PageClaims;
  unreadCount: number;
  /** The case of the form's address. */
  caseId: string;
  /** Said (403) to a worker who may read the case but not do this. */
  notPermitted: Problem;
  /** A refusal as the form's error on its field. */
  refusal: (outcome: Refused<O>) => E;
  /** The form again, what was typed kept, as the record now stands (the outcome's). */
  again: (outcome: Changed<O> | Refused<O>, state: AgainState<E>) => HttpResult;
  /** The refused field that means the record's state forbids this (409) rather than a field to correct (400). */
  stateField?: string;
  /** Where what was done redirects (303): the page that says so. */
  done: (outcome: Done<O>) => string;
}

/** A work outcome as a page answers it. */
export function pageAnswer<O extends WorkOutcome, E>(outcome: O, words: PageWords<O, E>): HttpResult {
  const { renderer, claims, unreadCount } = words;
  switch (outcome.kind) {
    case 'not-found':
      return noSuchCasePage(renderer, claims, unreadCount, words.caseId);
    case 'not-permitted':
      return problemPage(renderer, claims, unreadCount, words.notPermitted, 403);
    case 'changed':
      return words.again(outcome as Changed<O>, { changed: true, status: 409 });
    case 'refused': {
      const refused = outcome as Refused<O>;
      const status = words.stateField !== undefined && refused.field === words.stateField ? 409 : 400;
      return words.again(refused, { errors: [words.refusal(refused)], status });
    }
    default:
      return seeOther(words.done(outcome as Done<O>));
  }
}
