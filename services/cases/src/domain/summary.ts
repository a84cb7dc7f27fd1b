/**
 * The case summary (issue 12 Deliver 5; DOMAIN.md's essentials check names it): a short statement
 * of who the family is and why we are involved, in plain text, kept current by the workers on the
 * case. Pure: what a worker may write, checked with messages that name the field.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import { plainText } from '@fsp/shared/text';
import * as z from 'zod/mini';

export const SUMMARY_MAX_LENGTH = 2000;

const buildSchema = onFirstUse(() =>
  z.string('Enter the case summary').check(
    z.overwrite((value) => value.replace(/\r\n?/g, '\n').trim()),
    z.minLength(1, 'Enter the case summary'),
    z.maxLength(SUMMARY_MAX_LENGTH, `The case summary must be ${SUMMARY_MAX_LENGTH} characters or fewer`),
    plainText({ multiline: true, message: 'The case summary must not contain invisible or control characters' }),
  ),
);

/** The summary's text as a form or a JSON body gives it: line breaks made \n, trimmed, at most 2000 characters. */
export const summaryTextSchema = z.lazy(() => buildSchema());
