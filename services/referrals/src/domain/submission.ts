/**
 * What a referrer tells us. The same shape arrives from the partner API (JSON) and, later, from
 * the web form; both are validated here, before anything is stored, so every failing field is
 * named at once.
 */
import { FACTOR_CODES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import * as z from 'zod/mini';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));
export const GENDERS = ['female', 'male', 'other', 'not-known'] as const;

/**
 * Built on first use (`z.lazy`): only the routes that take a referral need it, and its hundred-odd
 * schemas would otherwise be built at every cold start of the functions that import it.
 */
function buildSubmissionSchema() {
  const isoDate = z.iso.date('must be a date written as YYYY-MM-DD');

  const addressSchema = z.object({
    line1: text(200),
    line2: z.optional(text(200)),
    town: text(100),
    postcode: z
      .string()
      .check(z.trim(), z.regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, 'must be a UK postcode, for example SW1A 1AA')),
  });

  const childSchema = z
    .object({
      firstName: text(100),
      lastName: text(100),
      /** Unknown dates are allowed: the referrer may not know them. */
      dateOfBirth: z.optional(isoDate),
      /** For an unborn child, instead of a date of birth. */
      expectedDateOfBirth: z.optional(isoDate),
      gender: z.optional(z.enum(GENDERS)),
      address: z.optional(addressSchema),
      school: z.optional(text(200)),
    })
    .check(
      z.refine((child) => !(child.dateOfBirth && child.expectedDateOfBirth), {
        message: 'give either dateOfBirth or, for an unborn child, expectedDateOfBirth, not both',
        path: ['expectedDateOfBirth'],
      }),
    );

  const adultSchema = z.object({
    firstName: text(100),
    lastName: text(100),
    dateOfBirth: z.optional(isoDate),
    /** To the children, in the referrer's words: "mother", "mother's partner". */
    relationship: text(100),
  });

  return z.object({
    referrer: z.object({
      name: text(200),
      role: z.optional(text(200)),
      organisation: z.optional(text(200)),
      email: z.email('must be an email address'),
      phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a telephone number'))),
    }),
    referralSource: z.enum(REFERRAL_SOURCE_CODES, 'must be a census referral source code such as 2A'),
    children: z.array(childSchema).check(z.minLength(1, 'name at least one child'), z.maxLength(30)),
    adults: z.optional(z.array(adultSchema).check(z.maxLength(30))),
    concerns: z.object({
      whatHappened: text(10_000),
      whyNow: text(5_000),
    }),
    factors: z.array(z.enum(FACTOR_CODES, 'must be a census factor code such as 3B')).check(
      z.minLength(1, 'give at least one factor, or 21 for no factors identified'),
      z.maxLength(FACTOR_CODES.length),
      z.refine((codes) => new Set(codes).size === codes.length, 'must not repeat a factor'),
    ),
    consent: z.object({
      familyKnows: z.boolean(),
      consentGiven: z.boolean(),
      /** Safeguarding can override consent; the referrer says why it was not sought or given. */
      withoutConsentReason: z.optional(text(2_000)),
    }),
  });
}

export const referralSubmissionSchema = z.lazy(buildSubmissionSchema);

export type ReferralSubmission = z.output<typeof referralSubmissionSchema>;
export type ChildSubmission = ReferralSubmission['children'][number];
