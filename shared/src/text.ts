/**
 * Text people type about people: names and free text must be well-formed Unicode that shows as
 * what it says. Control characters (NUL, escape, the C1 block) and format characters (Unicode
 * category Cf: bidirectional overrides and isolates, zero-width spaces and joiners, the byte
 * order mark, soft hyphens) are invisible or change how the text around them is shown: a name
 * holding one never matches the same name typed again, and a reversed or hidden run of text can
 * make a record say something other than what a reader sees. Lone surrogates are not text at all,
 * and break whatever encodes them next. Multi-line free text may hold line breaks and tabs.
 */
import * as z from 'zod/mini';
import { onFirstUse } from './first-use';

export interface PlainTextOptions {
  /** Free text from a textarea: line feeds, carriage returns and tabs are allowed. */
  multiline?: boolean;
}

// Built on first use: Unicode property classes are compiled when the expression is created.
const forbidden = onFirstUse(() => ({
  singleLine: /[\p{Cc}\p{Cf}]/u,
  multiline: /(?![\t\n\r])[\p{Cc}\p{Cf}]/u,
}));

/** ES2024's `String.prototype.isWellFormed` (Node 20+), which the project's ES2023 library types do not declare. */
const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

/** True when `value` is well-formed and holds no control or format character (but line breaks and tabs, when multi-line). */
export function isPlainText(value: string, options: PlainTextOptions = {}): boolean {
  if (!isWellFormed(value)) return false;
  const pattern = options.multiline ? forbidden().multiline : forbidden().singleLine;
  return !pattern.test(value);
}

export const PLAIN_TEXT_MESSAGE = 'must not contain invisible or control characters';

/**
 * A zod/mini check for a string schema: `z.string().check(z.trim(), plainText(), …)`. The message
 * is the field's own when given (a form names its field in words), else {@link PLAIN_TEXT_MESSAGE}.
 */
export const plainText = (options: PlainTextOptions & { message?: string } = {}) =>
  z.refine<string>((value) => isPlainText(value, options), options.message ?? PLAIN_TEXT_MESSAGE);
