/**
 * The record's validators: a draft may hold any part (each part valid), completing needs the date,
 * a rating and why, an attendee, the discussion and the decisions; action rows complete or blank;
 * every message names its field. Amendments need a reason and keep assigned actions. Consultations.
 */
import { isPlainText } from '@fsp/shared/text';
import fc from 'fast-check';
import { allocationChange, applyAllocation, withAgendaChange } from '../../src/domain/allocation';
import { checkConsultation } from '../../src/domain/consultation';
import { allocatedWorkerIds } from '../../src/domain/model';
import {
  amendmentDiff,
  checkAmendment,
  checkRecord,
  MAX_ACTIONS_PER_SUPERVISION,
  type RecordInput,
  recordInputSchema,
} from '../../src/domain/record';

const SW = 'worker-sw';
const DA = 'worker-da';
const CHAIR = 'chair-tm';
// Wednesday 25 November 2026, 12:00 GMT; the case opened on Monday 2 November.
const now = new Date('2026-11-25T12:00:00.000Z');
const context = { now, openedAt: '2026-11-02T09:00:00.000Z', chairId: CHAIR, allocatedWorkerIds: [SW, DA] };

const FULL: RecordInput = {
  heldOn: '2026-11-25',
  attendees: [SW, CHAIR],
  apologies: [DA],
  rating: 'amber',
  ratingRationale: 'Some progress',
  discussion: 'Reflective discussion',
  decisions: 'Decisions',
  actions: [{ what: 'Visit school', ownerId: SW, dueDate: '2026-12-24' }],
};

const errorsOf = (input: RecordInput, mode: 'draft' | 'complete' = 'complete') => {
  const result = checkRecord(input, context, mode);
  return result.ok ? [] : result.errors;
};

describe('a draft', () => {
  it('may be empty, or any part of the record', () => {
    expect(checkRecord({}, context, 'draft')).toEqual({ ok: true, content: { attendees: [], apologies: [], actions: [] } });
    expect(checkRecord({ discussion: '  Started\r\nthinking  ', rating: 'red' }, context, 'draft')).toEqual({
      ok: true,
      content: { attendees: [], apologies: [], actions: [], discussion: 'Started\nthinking', rating: 'red' },
    });
  });

  it('must have each part it gives valid', () => {
    expect(errorsOf({ heldOn: '2026-11-26' }, 'draft')).toEqual([
      { field: 'heldOn', message: 'The date the supervision was held must be today or in the past' },
    ]);
    expect(errorsOf({ rating: 'purple' }, 'draft')).toEqual([{ field: 'rating', message: 'Choose a rating: red, amber or green' }]);
  });

  it('drops blank action rows and asks for the rest of a row begun', () => {
    expect(checkRecord({ actions: [{ what: ' ', ownerId: '', dueDate: '' }] }, context, 'draft')).toMatchObject({
      ok: true,
      content: { actions: [] },
    });
    expect(errorsOf({ actions: [{ what: 'Visit' }, { ownerId: SW }] }, 'draft')).toEqual([
      { field: 'actions', index: 0, message: 'Choose who owns the action' },
      { field: 'actions', index: 0, message: "Enter the action's due date" },
      { field: 'actions', index: 1, message: 'Enter what the action is' },
      { field: 'actions', index: 1, message: "Enter the action's due date" },
    ]);
  });
});

describe('completing', () => {
  it('accepts a whole record', () => {
    expect(checkRecord(FULL, context, 'complete')).toEqual({
      ok: true,
      content: {
        heldOn: '2026-11-25',
        attendees: [SW, CHAIR],
        apologies: [DA],
        rating: 'amber',
        ratingRationale: 'Some progress',
        discussion: 'Reflective discussion',
        decisions: 'Decisions',
        actions: [{ what: 'Visit school', ownerId: SW, dueDate: '2026-12-24' }],
      },
    });
  });

  it('asks for each required field, naming it', () => {
    expect(errorsOf({})).toEqual([
      { field: 'heldOn', message: 'Enter the date the supervision was held' },
      { field: 'attendees', message: 'Choose at least one person who attended' },
      { field: 'rating', message: 'Choose a rating: red, amber or green' },
      { field: 'ratingRationale', message: 'Enter why you gave this rating' },
      { field: 'discussion', message: 'Enter the reflective discussion and hypotheses' },
      { field: 'decisions', message: 'Enter the decisions made' },
    ]);
  });

  it.each<[RecordInput, string, string]>([
    [{ heldOn: '2026-11-31' }, 'heldOn', 'The date the supervision was held must be a real date, written as YYYY-MM-DD'],
    [{ heldOn: '2026-11-01' }, 'heldOn', 'The date the supervision was held must be on or after the day the case opened, 2 November 2026'],
    [{ attendees: [SW, 'stranger'] }, 'attendees', 'Choose who attended from the workers allocated to the case and the chair'],
    [{ apologies: [SW] }, 'apologies', 'A person cannot both attend and send apologies'],
    [{ apologies: ['stranger'] }, 'apologies', 'Choose who sent apologies from the workers allocated to the case and the chair'],
    [{ ratingRationale: 'x'.repeat(2001) }, 'ratingRationale', 'Why you gave this rating must be 2,000 characters or fewer'],
    [{ discussion: 'x'.repeat(10_001) }, 'discussion', 'The reflective discussion and hypotheses must be 10,000 characters or fewer'],
    [{ risks: 'bad\u0000' }, 'risks', 'The risks must not contain invisible or control characters'],
    [
      { nextDate: '2026-12-26' },
      'nextDate',
      'The proposed date of the next supervision must be on or before 25 December 2026, when it is due',
    ],
    [
      { nextDate: '2026-12-25' },
      'nextDate',
      'The proposed date of the next supervision must be a working day (not a weekend or bank holiday)',
    ],
    [{ nextDate: '2026-11-25' }, 'nextDate', 'The proposed date of the next supervision must be after the date the supervision was held'],
  ])('refuses %j: %s', (change, field, message) => {
    expect(errorsOf({ ...FULL, ...change })).toEqual([{ field, message }]);
  });

  it.each<[Record<string, string>, string]>([
    [
      { what: 'x', ownerId: 'stranger', dueDate: '2026-12-01' },
      "Choose the action's owner from the workers allocated to the case or the chair",
    ],
    [{ what: 'x', ownerId: SW, dueDate: '2026-11-24' }, "The action's due date must be today or in the future"],
    [{ what: 'x', ownerId: SW, dueDate: '2027-11-26' }, "The action's due date must be on or before 25 November 2027"],
    [{ what: 'x', ownerId: SW, dueDate: '24/12/2026' }, "The action's due date must be a real date, written as YYYY-MM-DD"],
    [{ what: 'x'.repeat(501), ownerId: SW, dueDate: '2026-12-01' }, 'What the action is must be 500 characters or fewer'],
  ])('refuses the action %j: "%s"', (row, message) => {
    expect(errorsOf({ ...FULL, actions: [row] })).toEqual([{ field: 'actions', index: 0, message }]);
  });

  it('takes a single ticked attendee as the form sends it, and the chair may own an action', () => {
    expect(
      checkRecord(
        { ...FULL, attendees: SW, apologies: [], actions: [{ what: 'Ring GP', ownerId: CHAIR, dueDate: '2026-11-25' }] },
        context,
        'complete',
      ),
    ).toMatchObject({
      ok: true,
      content: { attendees: [SW], actions: [{ ownerId: CHAIR }] },
    });
  });

  it(`sets at most ${MAX_ACTIONS_PER_SUPERVISION} actions`, () => {
    const rows = Array.from({ length: MAX_ACTIONS_PER_SUPERVISION + 1 }, () => ({ what: 'x', ownerId: SW, dueDate: '2026-12-01' }));
    expect(errorsOf({ ...FULL, actions: rows })).toEqual([
      { field: 'actions', message: `A supervision can set at most ${MAX_ACTIONS_PER_SUPERVISION} actions` },
    ]);
  });

  it('accepts any well-formed record and keeps its words (property)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 200 })
      .filter((value) => value.trim() !== '' && !/[\p{Cc}\p{Cf}]/u.test(value) && isPlainText(value, { multiline: true }));
    fc.assert(
      fc.property(
        fc.constantFrom('red', 'amber', 'green'),
        text,
        text,
        text,
        fc.subarray([SW, DA, CHAIR], { minLength: 1 }),
        fc.integer({ min: 0, max: 300 }),
        (rating, rationale, discussion, decisions, attendees, dueIn) => {
          const dueDate = new Date(Date.UTC(2026, 10, 25 + dueIn)).toISOString().slice(0, 10);
          const result = checkRecord(
            {
              heldOn: '2026-11-20',
              attendees,
              rating,
              ratingRationale: rationale,
              discussion,
              decisions,
              actions: [{ what: decisions, ownerId: attendees[0]!, dueDate }],
            },
            context,
            'complete',
          );
          expect(result).toMatchObject({
            ok: true,
            content: { rating, ratingRationale: rationale.trim(), discussion: discussion.trim(), attendees, actions: [{ dueDate }] },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses every day held after today and before the case opened (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), (offset) => {
        const day = new Date(Date.UTC(2026, 10, 25 + offset)).toISOString().slice(0, 10);
        const problems = errorsOf({ ...FULL, heldOn: day, nextDate: undefined }).filter((error) => error.field === 'heldOn');
        expect(problems.length === 0).toBe(day >= '2026-11-02' && day <= '2026-11-25');
      }),
      { numRuns: 200 },
    );
  });

  it('reads a form or JSON body of the record’s shape, and refuses other shapes naming the field', () => {
    expect(recordInputSchema.safeParse(FULL).success).toBe(true);
    const wrong = recordInputSchema.safeParse({ heldOn: 20261125 });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toBe('Enter the date the supervision was held');
  });
});

describe('amending', () => {
  const completed = { ...(checkRecord(FULL, context, 'complete') as { content: import('../../src/domain/model').RecordContent }).content };
  completed.actions = [{ ...completed.actions[0]!, actionId: 'act-1' }];

  it('needs a reason, keeps the assigned actions as they were and adds new rows', () => {
    const result = checkAmendment(
      {
        ...FULL,
        reason: 'Rating agreed as red',
        rating: 'red',
        actions: [{ actionId: 'act-1' }, { what: 'Ring GP', ownerId: DA, dueDate: '2026-12-01' }],
      },
      { ...context, completed },
    );
    expect(result).toMatchObject({ ok: true, reason: 'Rating agreed as red', content: { rating: 'red' } });
    if (!result.ok) return;
    expect(result.content.actions).toEqual([completed.actions[0], { what: 'Ring GP', ownerId: DA, dueDate: '2026-12-01' }]);
    expect(amendmentDiff(completed, result.content)).toEqual({
      before: { rating: 'amber', actions: [] },
      after: { rating: 'red', actions: [{ what: 'Ring GP', ownerId: DA, dueDate: '2026-12-01' }] },
    });
  });

  it('asks for the reason, and refuses an action that is not this record’s', () => {
    expect(checkAmendment({ ...FULL, actions: [{ actionId: 'act-other' }] }, { ...context, completed })).toEqual({
      ok: false,
      errors: [
        { field: 'reason', message: 'Enter the reason for the amendment' },
        { field: 'actions', index: 0, message: 'Each action must be an action of this supervision' },
      ],
    });
  });

  it('keeps people of the completed record choosable after they left the case', () => {
    const result = checkAmendment({ ...FULL, reason: 'Typo' }, { ...context, allocatedWorkerIds: [SW], completed });
    expect(result.ok).toBe(true);
  });
});

describe('consultations', () => {
  it('needs who, when (not in the future) and notes', () => {
    expect(checkConsultation({}, { now })).toEqual({
      ok: false,
      errors: [
        { field: 'with', message: 'Enter who you consulted' },
        { field: 'heldOn', message: 'Enter the date of the consultation' },
        { field: 'notes', message: 'Enter the notes of the consultation' },
      ],
    });
    expect(checkConsultation({ with: 'Dr Shah', heldOn: '2026-11-26', notes: 'n' }, { now })).toEqual({
      ok: false,
      errors: [{ field: 'heldOn', message: 'The date of the consultation must be today or in the past' }],
    });
    expect(checkConsultation({ with: ' Dr Shah ', heldOn: '2026-11-25', notes: 'n' }, { now })).toEqual({
      ok: true,
      value: { with: 'Dr Shah', heldOn: '2026-11-25', notes: 'n' },
    });
  });
});

describe('allocation and agenda lines', () => {
  const fact = (role: 'social-worker' | 'adult-specialist', workerId: string, allocatedAt: string, extra: object = {}) => ({
    role,
    workerId,
    allocatedAt,
    ...extra,
  });

  it('replaces a slot with a later fact, never with an older one; one slot per specialism', () => {
    const first = applyAllocation({ specialists: {} }, fact('social-worker', 'a', '2026-01-01T00:00:00.000Z'))!;
    const later = applyAllocation(first, fact('social-worker', 'b', '2026-02-01T00:00:00.000Z', { previousWorkerId: 'a' }))!;
    expect(applyAllocation(later, fact('social-worker', 'a', '2026-01-01T00:00:00.000Z'))).toBeUndefined();
    const withDa = applyAllocation(later, fact('adult-specialist', 'c', '2026-02-02T00:00:00.000Z', { specialism: 'mental-health' }))!;
    expect(
      allocatedWorkerIds({ socialWorker: withDa.socialWorker?.userId, specialists: { 'mental-health': 'c', 'substance-misuse': 'c' } }),
    ).toEqual(['b', 'c']);
    expect(
      applyAllocation(withDa, fact('adult-specialist', 'c', '2026-02-02T00:00:00.000Z', { specialism: 'mental-health' })),
    ).toBeUndefined();
  });

  it('says who was allocated or changed by role, never by name, and keeps a line once', () => {
    const change = allocationChange(fact('adult-specialist', 'c', '2026-02-02T00:00:00.000Z', { specialism: 'domestic-abuse-victim' }));
    expect(change.text).toBe('Domestic abuse (victims) specialist allocated');
    expect(allocationChange(fact('social-worker', 'b', '2026-02-01T00:00:00.000Z', { previousWorkerId: 'a' })).text).toBe(
      'Social worker changed',
    );
    expect(withAgendaChange([change], change)).toBeUndefined();
  });
});
