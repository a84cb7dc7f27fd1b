/**
 * Turns zod issues into field errors a person can act on: one entry per failing field, named by
 * JSON path (`$.children[0].dateOfBirth`), with a message that says what to send instead. Shared
 * by the event contracts and the HTTP layer so that a partner and an engineer reading a DLQ see
 * the same wording. Messages never echo the received value: inputs are personal data.
 */
import { safeParse } from 'zod/mini';
import type * as core from 'zod/v4/core';

export interface FieldIssue {
  /** JSON path from the root of the validated value, always starting with `$`. */
  path: string;
  message: string;
}

type PathKey = PropertyKey;
type RawIssue = core.$ZodRawIssue;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatJsonPath(path: readonly PathKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The last named key of a path, so a message can say which field it is about. */
function subjectOf(path: readonly PathKey[] | undefined): string {
  if (!path || path.length === 0) return 'The value';
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string') {
      const indexes = path
        .slice(i + 1)
        .map((k) => `[${String(k)}]`)
        .join('');
      return `${key}${indexes}`;
    }
  }
  return `Item ${path.map((k) => `[${String(k)}]`).join('')}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  null: 'null',
  undefined: 'absent',
};

function describeReceived(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'number') return Number.isInteger(input) ? 'a whole number' : 'a number';
  return TYPE_WORDS[typeof input] ?? typeof input;
}

const FORMAT_HINTS: Record<string, string> = {
  datetime: 'a date and time in ISO 8601 format with a time zone offset, for example 2026-01-05T09:30:00Z',
  date: 'a date in the format YYYY-MM-DD, for example 2015-04-23',
  time: 'a time in the format HH:MM:SS, for example 09:30:00',
  duration: 'an ISO 8601 duration, for example P1D',
  email: 'an email address, for example name@example.org',
  uuid: 'a UUID, for example 3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35',
  guid: 'a GUID',
  url: 'a URL, for example https://example.org/hooks',
  e164: 'a phone number in international format, for example +441632960961',
};

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * A per-parse zod error map. Passed to `safeParse(value, { error: humanMessage })`, it only
 * fills in messages the schema author did not write, so a hand-written refinement message wins.
 */
export function humanMessage(issue: RawIssue): string | undefined {
  const subject = subjectOf(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return `${subject} is required`;
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `${subject} must be ${expected}, not ${describeReceived(issue.input)}`;
    }
    case 'invalid_format': {
      if (issue.format === 'regex' && 'pattern' in issue && issue.pattern) {
        return `${subject} must match the pattern ${String(issue.pattern)}`;
      }
      if (issue.format === 'starts_with' && 'prefix' in issue) return `${subject} must start with ${JSON.stringify(issue.prefix)}`;
      if (issue.format === 'ends_with' && 'suffix' in issue) return `${subject} must end with ${JSON.stringify(issue.suffix)}`;
      const hint = FORMAT_HINTS[issue.format];
      return hint ? `${subject} must be ${hint}` : `${subject} must be in ${issue.format} format`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        if (min <= 1) return `${subject} must not be empty`;
        return `${subject} must be at least ${min} characters long`;
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return `${subject} must contain at least ${min} item${min === 1 ? '' : 's'}`;
      }
      return issue.inclusive ? `${subject} must be ${min} or more` : `${subject} must be more than ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${subject} must be ${max} characters or fewer`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `${subject} must contain no more than ${max} item${max === 1 ? '' : 's'}`;
      return issue.inclusive ? `${subject} must be ${max} or less` : `${subject} must be less than ${max}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `${subject} must be ${JSON.stringify(issue.values[0])}`
        : `${subject} must be one of ${quoteList(issue.values)}`;
    case 'not_multiple_of':
      return `${subject} must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      // Expanded into one issue per key by `toFieldIssues`; this text is only a fallback.
      return `${subject} has fields that are not allowed: ${quoteList(issue.keys)}`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator && 'options' in issue && Array.isArray(issue.options)) {
        return `${subject} must be one of ${quoteList(issue.options)}`;
      }
      return `${subject} does not match any of the allowed forms`;
    case 'invalid_key':
      return `${subject} has a key that is not allowed`;
    case 'invalid_element':
      return `${subject} has a value that is not allowed`;
    default:
      return undefined;
  }
}

/** Picks the union branch that got furthest, so the error names the deepest real mistake. */
function bestBranch(branches: readonly (readonly core.$ZodIssue[])[]): readonly core.$ZodIssue[] | undefined {
  let best: readonly core.$ZodIssue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    const depth = Math.max(...branch.map((i) => i.path.length));
    if (depth > bestDepth || (depth === bestDepth && best !== undefined && branch.length < best.length)) {
      best = branch;
      bestDepth = depth;
    }
  }
  // A union of scalars fails at the root on every branch: a single "no allowed form" is clearer.
  return bestDepth > 0 ? best : undefined;
}

export function toFieldIssues(issues: readonly core.$ZodIssue[], prefix: readonly PathKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: formatJsonPath([...path, key]), message: `${key} is not a recognised field; remove it` });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branch = bestBranch(issue.errors);
      if (branch) {
        out.push(...toFieldIssues(branch, path));
        continue;
      }
    }
    out.push({ path: formatJsonPath(path), message: issue.message });
  }
  return out;
}

/**
 * Validates with human messages; the one entry point both events and HTTP use. Accepts zod
 * classic and zod/mini schemas alike (shared code uses mini: full zod adds ~40 ms to a cold start).
 */
export function validate<S extends core.$ZodType>(
  schema: S,
  input: unknown,
): { success: true; data: core.output<S> } | { success: false; issues: FieldIssue[] } {
  const result = safeParse(schema, input, { error: humanMessage });
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: toFieldIssues(result.error.issues) };
}
