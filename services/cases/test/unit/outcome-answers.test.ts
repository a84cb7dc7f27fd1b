/**
 * How the case's modules answer their work's outcomes (http/outcome-answers.ts), the one mapping the
 * path, plan, FGDM, stages-of-change and workbook routes share: JSON — 404 for a case the worker may
 * not see, 403 and 409 in the module's words, a refusal of the record's state 409 with its reason and
 * any other 400 naming the field as a JSON path; pages — the no-such-case page (404), the module's
 * problem page (403), the form again saying the record changed (409) or with the refusal on its field
 * (409 or 400), and a redirect (303) once done. A body the module's schema refuses is 400 naming
 * each field. The pages are drawn by the cases templates.
 */
import type { HttpError } from '@fsp/shared/http/errors';
import type { HttpResult } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { type AgainState, invalidBody, jsonAnswer, jsonPathOfField, pageAnswer } from '../../src/http/outcome-answers';
import { createCasesRenderer } from '../../src/web/pages';

type Outcome =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'changed' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'recorded'; value: string }
    ) & { version: number });

const words = {
  notPermitted: 'Only a worker allocated to this case can record this.',
  changed: (changed: { version: number }) => `It changed: it is at version ${changed.version} now.`,
  stateField: 'case',
};
const recorded = (outcome: { value: string }): HttpResult => ({ status: 200, text: outcome.value });

/** What jsonAnswer threw, as the problem document's status, detail and errors. */
function thrown(outcome: Outcome, given: Parameters<typeof jsonAnswer<Outcome>>[1] = words) {
  try {
    jsonAnswer(outcome, given, recorded);
  } catch (error) {
    const problem = error as HttpError;
    return { status: problem.status, detail: problem.detail, errors: problem.errors };
  }
  throw new Error(`${outcome.kind} answered without a problem`);
}

describe('jsonAnswer', () => {
  it('answers a case the worker may not see as one that does not exist (404)', () => {
    expect(thrown({ kind: 'not-found' })).toEqual({ status: 404, detail: 'There is no such case that you can see.', errors: undefined });
  });

  it('says who may, in the module’s words (403)', () => {
    expect(thrown({ kind: 'not-permitted', version: 1 })).toMatchObject({ status: 403, detail: words.notPermitted });
  });

  it('says the record moved on (409), in words given or made from the outcome', () => {
    expect(thrown({ kind: 'changed', version: 4 })).toMatchObject({ status: 409, detail: 'It changed: it is at version 4 now.' });
    expect(thrown({ kind: 'changed', version: 4 }, { ...words, changed: 'Read it again.' })).toMatchObject({
      status: 409,
      detail: 'Read it again.',
    });
  });

  it('answers a refusal of the record’s state 409 with its reason, and any other 400 naming the field', () => {
    expect(thrown({ kind: 'refused', field: 'case', reason: 'The case is closed', version: 1 })).toMatchObject({
      status: 409,
      detail: 'The case is closed',
    });
    expect(thrown({ kind: 'refused', field: 'goals[1].actions[0].who', reason: 'Say who', version: 1 })).toMatchObject({
      status: 400,
      errors: [{ in: 'body', path: '$.goals[1].actions[0].who', message: 'Say who' }],
    });
    // A module without a state field: every refusal names its field.
    const { stateField: _none, ...withoutStateField } = words;
    expect(thrown({ kind: 'refused', field: 'case', reason: 'The case is closed', version: 1 }, withoutStateField)).toMatchObject({
      status: 400,
      errors: [{ in: 'body', path: '$.case', message: 'The case is closed' }],
    });
  });

  it('answers what was done with the module’s answer', () => {
    expect(jsonAnswer({ kind: 'recorded', value: 'done', version: 2 } as Outcome, words, recorded)).toEqual({ status: 200, text: 'done' });
  });

  it('answers a body its schema refused 400, each issue on its field', () => {
    let problem: HttpError | undefined;
    try {
      invalidBody([
        { path: ['goals', 0, 'text'], message: 'Enter the goal in the family’s words' },
        { path: ['heldOn'], message: 'Enter a date' },
      ]);
    } catch (error) {
      problem = error as HttpError;
    }
    expect(problem).toMatchObject({
      status: 400,
      errors: [
        { in: 'body', path: '$.goals[0].text', message: 'Enter the goal in the family’s words' },
        { in: 'body', path: '$.heldOn', message: 'Enter a date' },
      ],
    });
  });

  it('writes refused fields as JSON paths', () => {
    expect(jsonPathOfField('heldOn')).toBe('$.heldOn');
    expect(jsonPathOfField('attendeeIds[1]')).toBe('$.attendeeIds[1]');
    expect(jsonPathOfField('goals.0.text')).toBe('$.goals[0].text');
  });
});

describe('pageAnswer', () => {
  const renderer = createCasesRenderer('local');
  const claims: PageClaims = {
    kind: 'worker',
    userId: 'user-sam',
    username: 'sam.okafor',
    name: 'Sam Okafor',
    roles: ['social-worker'],
    teamId: 'north',
    csrfToken: 'token',
  };
  type FormError = { field: string; text: string; href?: string };
  const again: { state?: AgainState<FormError> }[] = [];
  const pageWords = {
    renderer,
    claims,
    unreadCount: 0,
    caseId: 'case-1',
    notPermitted: {
      heading: 'You can read this case but not record its path',
      paragraphs: ['Only workers allocated to the case can.'],
      link: { href: '/cases/case-1/path', text: 'Go to the case’s statutory path' },
    },
    refusal: (refused: { field: string; reason: string }): FormError => ({ field: refused.field, text: refused.reason }),
    again: (_outcome: unknown, state: AgainState<FormError>): HttpResult => {
      again.push({ state });
      return { status: state.status, text: 'the form again' };
    },
    stateField: 'case',
    done: (outcome: { value: string }) => `/cases/case-1/path?done=${outcome.value}`,
  };
  beforeEach(() => {
    again.length = 0;
  });

  it('shows the no-such-case page (404) for a case the worker may not see', () => {
    const page = pageAnswer({ kind: 'not-found' } as Outcome, pageWords);
    expect(page.status).toBe(404);
    expect('html' in page ? page.html : '').toContain('There is no such case that you can see');
    expect(again).toEqual([]);
  });

  it('shows the module’s problem page (403) to one who may not', () => {
    const page = pageAnswer({ kind: 'not-permitted', version: 1 } as Outcome, pageWords);
    expect(page.status).toBe(403);
    expect('html' in page ? page.html : '').toContain('You can read this case but not record its path');
  });

  it('draws the form again saying the record changed (409)', () => {
    expect(pageAnswer({ kind: 'changed', version: 3 } as Outcome, pageWords).status).toBe(409);
    expect(again).toEqual([{ state: { changed: true, status: 409 } }]);
  });

  it('draws the form again with the refusal on its field: 409 for the record’s state, 400 for a field', () => {
    expect(pageAnswer({ kind: 'refused', field: 'case', reason: 'The case is closed', version: 1 } as Outcome, pageWords).status).toBe(409);
    expect(pageAnswer({ kind: 'refused', field: 'heldOn', reason: 'Too early', version: 1 } as Outcome, pageWords).status).toBe(400);
    expect(again).toEqual([
      { state: { errors: [{ field: 'case', text: 'The case is closed' }], status: 409 } },
      { state: { errors: [{ field: 'heldOn', text: 'Too early' }], status: 400 } },
    ]);
  });

  it('redirects (303) to the page that says what was done', () => {
    expect(pageAnswer({ kind: 'recorded', value: 'close', version: 2 } as Outcome, pageWords)).toEqual({
      status: 303,
      headers: { location: '/cases/case-1/path?done=close', 'cache-control': 'no-store' },
    });
  });
});
