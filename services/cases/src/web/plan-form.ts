/**
 * The plan's two forms (templates/plan-edit.njk and plan-review.njk): what a worker typed, read
 * leniently from the posted fields, turned into the JSON shape the API takes and judged by the very
 * schemas it uses (http/plan-work.ts planInputSchema, reviewInputSchema), so a page can never send
 * what the API would refuse. Blank goal blocks and blank action rows are the form's spare ones and
 * are ignored. Errors come back keyed by the form's fields, in the order the form shows them, each
 * with the id GOV.UK's error summary links to. Pure.
 */
import { daysInMonth, type LocalDate, localDateFromParts, partsOf } from '@fsp/shared/time/local-date';
import type * as z from 'zod/mini';
import { type CasePlan, MAX_ACTIONS_PER_GOAL, MAX_GOALS, PROGRESS_RATINGS, PROGRESS_WORDS, type ProgressRating } from '../domain/plan';
import { type PlanInputFields, planInputSchema, type ReviewInputFields, reviewInputSchema } from '../http/plan-work';

/** A posted form as the handler parses it. */
export type PostedForm = Readonly<Record<string, string | string[] | undefined>>;

export interface FormError {
  /** The form's field ('goals-2-actions-1-what'), or 'plan' for what the plan's state forbids (no field to link). */
  field: string;
  text: string;
  href?: string;
}

/** A date as its three boxes hold it. */
export interface DateBoxes {
  day: string;
  month: string;
  year: string;
}

export interface ActionRow {
  what: string;
  who: string;
  byWhen: DateBoxes;
}

export interface GoalBlock {
  goalId: string;
  words: string;
  actions: ActionRow[];
}

export interface PlanFormValues {
  agreedOn: DateBoxes;
  nextReviewDate: DateBoxes;
  goals: GoalBlock[];
}

export interface ProgressRow {
  goalId: string;
  rating: string;
  note: string;
}

export interface ReviewFormValues {
  reviewedOn: DateBoxes;
  nextReviewDate: DateBoxes;
  summary: string;
  progress: ProgressRow[];
}

/** Spare blocks the edit form offers: two blank goals, and at least three action rows a goal. */
export const SPARE_GOALS = 2;
export const ACTION_ROWS = 3;

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

const blankDate = (): DateBoxes => ({ day: '', month: '', year: '' });
const blankAction = (): ActionRow => ({ what: '', who: '', byWhen: blankDate() });
const blankGoal = (actions = ACTION_ROWS): GoalBlock => ({ goalId: '', words: '', actions: Array.from({ length: actions }, blankAction) });

export function dateBoxesOf(date: LocalDate): DateBoxes {
  const { year, month, day } = partsOf(date);
  return { day: String(day), month: String(month), year: String(year) };
}

const dateBoxes = (body: PostedForm, name: string): DateBoxes => ({
  day: first(body[`${name}-day`]),
  month: first(body[`${name}-month`]),
  year: first(body[`${name}-year`]),
});

const isBlankDate = (date: DateBoxes) => !date.day.trim() && !date.month.trim() && !date.year.trim();
const isBlankAction = (action: ActionRow) => !action.what.trim() && !action.who.trim() && isBlankDate(action.byWhen);
const isBlankGoal = (goal: GoalBlock) => !goal.words.trim() && goal.actions.every(isBlankAction);

/** How many rows of `prefix-<n>-…` the form posted (numbered from 1), at most `max`. */
function rowsPosted(body: PostedForm, pattern: RegExp, max: number): number {
  let rows = 0;
  for (const name of Object.keys(body)) {
    const row = Number(pattern.exec(name)?.[1]);
    if (row >= 1 && row <= max) rows = Math.max(rows, row);
  }
  return rows;
}

/** The edit form as the plan stands (or empty): its goals, then two blank ones, each with a spare action row. */
export function planFormValuesOf(plan: CasePlan | undefined, today: LocalDate): PlanFormValues {
  const goals = (plan?.goals ?? []).map(
    (goal): GoalBlock => ({
      goalId: goal.goalId,
      words: goal.inFamilysWords,
      actions: [
        ...goal.actions.map((action) => ({ what: action.what, who: action.who, byWhen: dateBoxesOf(action.byWhen) })),
        ...Array.from(
          { length: Math.max(ACTION_ROWS - goal.actions.length, goal.actions.length < MAX_ACTIONS_PER_GOAL ? 1 : 0) },
          blankAction,
        ),
      ],
    }),
  );
  const spare = Math.min(SPARE_GOALS, MAX_GOALS - goals.length);
  return {
    // A plan re-agreed is agreed again today, unless the worker says otherwise.
    agreedOn: dateBoxesOf(today),
    nextReviewDate: plan ? dateBoxesOf(plan.nextReviewDate) : blankDate(),
    goals: [...goals, ...Array.from({ length: Math.max(spare, goals.length === 0 ? 1 : 0) }, () => blankGoal())],
  };
}

export function postedPlanValues(body: PostedForm): PlanFormValues {
  const goalCount = rowsPosted(body, /^goals-(\d{1,2})-/, MAX_GOALS);
  const goals = Array.from({ length: goalCount }, (_, goalIndex): GoalBlock => {
    const row = goalIndex + 1;
    const actionCount = Math.max(ACTION_ROWS, rowsPosted(body, new RegExp(`^goals-${row}-actions-(\\d{1,2})-`), MAX_ACTIONS_PER_GOAL));
    return {
      goalId: first(body[`goals-${row}-goalId`]),
      words: first(body[`goals-${row}-words`]),
      actions: Array.from({ length: actionCount }, (_, actionIndex) => {
        const name = `goals-${row}-actions-${actionIndex + 1}`;
        return { what: first(body[`${name}-what`]), who: first(body[`${name}-who`]), byWhen: dateBoxes(body, `${name}-byWhen`) };
      }),
    };
  });
  return { agreedOn: dateBoxes(body, 'agreedOn'), nextReviewDate: dateBoxes(body, 'nextReviewDate'), goals };
}

export function reviewFormValuesOf(plan: CasePlan, today: LocalDate): ReviewFormValues {
  return {
    reviewedOn: dateBoxesOf(today),
    nextReviewDate: blankDate(),
    summary: '',
    progress: plan.goals.map((goal) => ({ goalId: goal.goalId, rating: '', note: '' })),
  };
}

export function postedReviewValues(body: PostedForm): ReviewFormValues {
  const rows = rowsPosted(body, /^progress-(\d{1,2})-/, MAX_GOALS);
  return {
    reviewedOn: dateBoxes(body, 'reviewedOn'),
    nextReviewDate: dateBoxes(body, 'nextReviewDate'),
    summary: first(body.summary),
    progress: Array.from({ length: rows }, (_, index) => ({
      goalId: first(body[`progress-${index + 1}-goalId`]),
      rating: first(body[`progress-${index + 1}-rating`]),
      note: first(body[`progress-${index + 1}-note`]),
    })),
  };
}

const capitalised = (words: string): string => words.charAt(0).toUpperCase() + words.slice(1);

/** The three boxes as a date, or GOV.UK's message for what is missing or impossible (`what`: "the date the plan was agreed"). */
function dateOf(boxes: DateBoxes, what: string): { date: LocalDate } | { error: string } {
  const [day, month, year] = [boxes.day.trim(), boxes.month.trim(), boxes.year.trim()];
  if (!day && !month && !year) return { error: `Enter ${what}` };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `${capitalised(what)} must include ${missing.join(' and ')}` };
  if (![day, month, year].every((part) => /^\d+$/.test(part))) return { error: `${capitalised(what)} must be a real date` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (year.length !== 4 || y < 1900) return { error: `The year of ${what} must include 4 numbers, like 2026` };
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return { error: `${capitalised(what)} must be a real date` };
  return { date: localDateFromParts({ year: y, month: m, day: d }) };
}

const dateError = (field: string, text: string): FormError => ({ field, text, href: `#${field}-day` });
const fieldError = (field: string, text: string, href = `#${field}`): FormError => ({ field, text, href });

/** Where a field sits in the form, for the error summary's order. */
function orderOfPlanField(field: string): number {
  if (field === 'agreedOn') return 0;
  const goal = /^goals-(\d+)-(?:words|goalId)$/.exec(field);
  if (goal) return Number(goal[1]) * 1000;
  const action = /^goals-(\d+)-actions-(\d+)-(what|who|byWhen)$/.exec(field);
  if (action) return Number(action[1]) * 1000 + Number(action[2]) * 10 + ['what', 'who', 'byWhen'].indexOf(action[3] ?? '') + 1;
  if (field === 'nextReviewDate') return 100_000;
  return -1;
}

function orderOfReviewField(field: string): number {
  if (field === 'reviewedOn') return 0;
  const progress = /^progress-(\d+)-(rating|note)$/.exec(field);
  if (progress) return Number(progress[1]) * 10 + (progress[2] === 'note' ? 1 : 0);
  if (field === 'summary') return 10_000;
  if (field === 'nextReviewDate') return 20_000;
  return -1;
}

function ordered(errors: FormError[], orderOf: (field: string) => number): FormError[] {
  const seen = new Set<string>();
  return errors
    .filter((error) => {
      if (seen.has(error.field)) return false;
      seen.add(error.field);
      return true;
    })
    .sort((a, b) => orderOf(a.field) - orderOf(b.field));
}

/** The goals and actions sent, each with the form's row it came from (blank ones left out). */
export interface SentRows {
  goals: Array<{ row: number; actions: number[] }>;
}

type Issue = z.core.$ZodIssue;

const ACTION_PARTS = {
  what: { missing: 'Enter what will be done', long: 'What will be done' },
  who: { missing: 'Enter who will do it', long: 'Who will do it' },
} as const;

export type PlanFormCheck = { ok: true; input: PlanInputFields; rows: SentRows } | { ok: false; errors: FormError[] };

/** The edit form's answers as the API's input, or every error to show at once. */
export function checkPlanForm(values: PlanFormValues): PlanFormCheck {
  const errors: FormError[] = [];
  const agreedOn = dateOf(values.agreedOn, 'the date the plan was agreed');
  if ('error' in agreedOn) errors.push(dateError('agreedOn', agreedOn.error));
  const nextReviewDate = dateOf(values.nextReviewDate, 'the date of the next review');
  if ('error' in nextReviewDate) errors.push(dateError('nextReviewDate', nextReviewDate.error));

  const rows: SentRows = { goals: [] };
  const goals: Array<Record<string, unknown>> = [];
  for (const [goalIndex, goal] of values.goals.entries()) {
    if (isBlankGoal(goal)) continue;
    const goalRow = goalIndex + 1;
    const actionRows: number[] = [];
    const actions: Array<Record<string, unknown>> = [];
    for (const [actionIndex, action] of goal.actions.entries()) {
      if (isBlankAction(action)) continue;
      const name = `goals-${goalRow}-actions-${actionIndex + 1}`;
      const byWhen = dateOf(action.byWhen, `the date for action ${actionIndex + 1} of goal ${goalRow}`);
      if ('error' in byWhen) errors.push(dateError(`${name}-byWhen`, byWhen.error));
      actionRows.push(actionIndex + 1);
      actions.push({ what: action.what, who: action.who, ...('date' in byWhen ? { byWhen: byWhen.date } : {}) });
    }
    // Said here as well as by the domain, so that one send names every goal to finish.
    if (actions.length === 0) errors.push(fieldError(`goals-${goalRow}-actions-1-what`, `Say who does what by when for goal ${goalRow}`));
    rows.goals.push({ row: goalRow, actions: actionRows });
    goals.push({ ...(goal.goalId ? { goalId: goal.goalId } : {}), inFamilysWords: goal.words, actions });
  }
  if (goals.length === 0) errors.push(fieldError('goals-1-words', 'Add at least one goal, in the family’s words'));

  const candidate = {
    ...('date' in agreedOn ? { agreedOn: agreedOn.date } : {}),
    ...('date' in nextReviewDate ? { nextReviewDate: nextReviewDate.date } : {}),
    goals,
  };
  const parsed = planInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const error = planIssueError(issue, rows);
      // A field the form could not read (a date) is already named in the form's words.
      if (error === 'already-named') continue;
      errors.push(error ?? { field: 'plan', text: `${issue.path.join('.')}: ${issue.message}` });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: ordered(errors, orderOfPlanField) };
  return { ok: true, input: parsed.data, rows };
}

function planIssueError(issue: Issue, rows: SentRows): FormError | 'already-named' | undefined {
  const [top, goalIndex, part, actionIndex, actionPart] = issue.path;
  if (top === 'agreedOn' || top === 'nextReviewDate') return 'already-named';
  if (top !== 'goals') return undefined;
  if (typeof goalIndex !== 'number') return fieldError('goals-1-words', `A plan has at most ${MAX_GOALS} goals`);
  const goal = rows.goals[goalIndex];
  const goalRow = goal?.row ?? goalIndex + 1;
  if (part === 'inFamilysWords') {
    return fieldError(
      `goals-${goalRow}-words`,
      issue.code === 'too_big' ? `Goal ${goalRow} must be 1,000 characters or fewer` : `Enter goal ${goalRow} in the family’s words`,
    );
  }
  if (part === 'goalId') return fieldError(`goals-${goalRow}-words`, `Goal ${goalRow} is not one of the plan’s`);
  if (part !== 'actions') return undefined;
  if (typeof actionIndex !== 'number') {
    return fieldError(`goals-${goalRow}-actions-1-what`, `Goal ${goalRow} can have at most ${MAX_ACTIONS_PER_GOAL} actions`);
  }
  const actionRow = goal?.actions[actionIndex] ?? actionIndex + 1;
  const name = `goals-${goalRow}-actions-${actionRow}`;
  if (actionPart === 'byWhen') return 'already-named';
  if (actionPart === 'what' || actionPart === 'who') {
    const words = ACTION_PARTS[actionPart];
    const text =
      issue.code === 'too_big'
        ? `${words.long} for action ${actionRow} of goal ${goalRow} must be ${actionPart === 'what' ? '1,000' : '200'} characters or fewer`
        : `${words.missing} for action ${actionRow} of goal ${goalRow}`;
    return fieldError(`${name}-${actionPart}`, text);
  }
  return undefined;
}

/** The domain's refusal (http/plan-work.ts: 'agreedOn', 'goals[1].actions[0].byWhen', 'plan' …) on the form's field. */
export function planRefusalError(field: string, reason: string, rows: SentRows | undefined): FormError {
  if (field === 'agreedOn' || field === 'nextReviewDate' || field === 'reviewedOn') return dateError(field, reason);
  if (field === 'goals') return fieldError('goals-1-words', reason);
  const goal = /^goals\[(\d+)\](?:\.(goalId|actions)(?:\[(\d+)\]\.(byWhen|what|who))?)?$/.exec(field);
  if (goal) {
    const sent = rows?.goals[Number(goal[1])];
    const goalRow = sent?.row ?? Number(goal[1]) + 1;
    if (goal[2] === 'actions' && goal[3] !== undefined) {
      const actionRow = sent?.actions[Number(goal[3])] ?? Number(goal[3]) + 1;
      const name = `goals-${goalRow}-actions-${actionRow}-${goal[4]}`;
      return goal[4] === 'byWhen' ? dateError(name, reason) : fieldError(name, reason);
    }
    if (goal[2] === 'actions') return fieldError(`goals-${goalRow}-actions-1-what`, reason);
    return fieldError(`goals-${goalRow}-words`, reason);
  }
  const progress = /^progress\[(\d+)\]/.exec(field);
  if (progress) {
    const row = Number(progress[1]) + 1;
    return fieldError(`progress-${row}-rating`, reason);
  }
  return { field: 'plan', text: reason };
}

export type ReviewFormCheck = { ok: true; input: ReviewInputFields } | { ok: false; errors: FormError[] };

/** The review form's answers as the API's input, or every error to show at once. `goalCount`: the goals the form shows. */
export function checkReviewForm(values: ReviewFormValues): ReviewFormCheck {
  const errors: FormError[] = [];
  const reviewedOn = dateOf(values.reviewedOn, 'the date of the review');
  if ('error' in reviewedOn) errors.push(dateError('reviewedOn', reviewedOn.error));
  const nextReviewDate = dateOf(values.nextReviewDate, 'the date of the next review');
  if ('error' in nextReviewDate) errors.push(dateError('nextReviewDate', nextReviewDate.error));
  const candidate = {
    ...('date' in reviewedOn ? { reviewedOn: reviewedOn.date } : {}),
    ...('date' in nextReviewDate ? { nextReviewDate: nextReviewDate.date } : {}),
    summary: values.summary,
    progress: values.progress.map((row) => ({ goalId: row.goalId, rating: row.rating, note: row.note })),
  };
  const parsed = reviewInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, index, part] = issue.path;
      if (top === 'reviewedOn' || top === 'nextReviewDate') continue;
      if (top === 'summary') {
        errors.push(
          fieldError(
            'summary',
            issue.code === 'too_big' ? 'The summary must be 5,000 characters or fewer' : 'Enter a summary of the review',
          ),
        );
      } else if (top === 'progress' && typeof index === 'number') {
        const row = index + 1;
        if (part === 'note') errors.push(fieldError(`progress-${row}-note`, `The note on goal ${row} must be 2,000 characters or fewer`));
        else errors.push(fieldError(`progress-${row}-rating`, `Select how far the family has got with goal ${row}`));
      } else {
        errors.push({ field: 'plan', text: `${issue.path.join('.')}: ${issue.message}` });
      }
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: ordered(errors, orderOfReviewField) };
  return { ok: true, input: parsed.data };
}

// ---- What the templates show ----

const errorsView = (errors: readonly FormError[]) => ({
  errors: errors.map((error) => ({ text: error.text, ...(error.href ? { href: error.href } : {}) })),
  errorOf: Object.fromEntries(errors.filter((error) => error.field !== 'plan').map((error) => [error.field, error.text])),
});

/** The edit form's view: each goal block with its rows, values and messages. */
export function planFormView(values: PlanFormValues, errors: readonly FormError[]) {
  return {
    ...errorsView(errors),
    agreedOn: values.agreedOn,
    nextReviewDate: values.nextReviewDate,
    goals: values.goals.map((goal, goalIndex) => ({
      row: goalIndex + 1,
      goalId: goal.goalId,
      words: goal.words,
      actions: goal.actions.map((action, actionIndex) => ({ row: actionIndex + 1, ...action })),
    })),
  };
}

/** The review form's view: each of the plan's goals, in its words, with the progress chosen. */
export function reviewFormView(values: ReviewFormValues, plan: CasePlan, errors: readonly FormError[]) {
  return {
    ...errorsView(errors),
    reviewedOn: values.reviewedOn,
    nextReviewDate: values.nextReviewDate,
    summary: values.summary,
    goals: values.progress.map((row, index) => ({
      row: index + 1,
      goalId: row.goalId,
      words: plan.goals.find((goal) => goal.goalId === row.goalId)?.inFamilysWords ?? '',
      note: row.note,
      items: PROGRESS_RATINGS.map((rating: ProgressRating) => ({
        value: rating,
        text: PROGRESS_WORDS[rating],
        checked: rating === row.rating,
      })),
    })),
  };
}
