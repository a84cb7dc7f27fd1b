/**
 * What a referrer tells us. The same shape arrives from the partner API (JSON) and from the web
 * form; both are validated here, before anything is stored, so every failing field is named at once.
 *
 * Two schemas share every field:
 * - `referralSubmissionSchema`, the partner API's body (PARTNER-API.md): a named referrer is
 *   required. An agency is known by its credentials and cannot refer anonymously; its contract is
 *   unchanged.
 * - `formSubmissionSchema`, the web form's: the same, or an anonymous referral (DOMAIN.md,
 *   Referrals 5): referral source 9 and no referrer at all, since no contact details are asked and
 *   nothing is sent.
 */
import { FACTOR_CODES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { onFirstUse } from '@fsp/shared/first-use';
import { plainText } from '@fsp/shared/text';
import * as z from 'zod/mini';

/** Census referral source 9: anonymous. */
export const ANONYMOUS_SOURCE = '9';

/** Names and other one-line text: no control or invisible characters (shared/src/text.ts). */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max), plainText());
/** What happened, in the referrer's words: line breaks and tabs too. */
const freeText = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max), plainText({ multiline: true }));
export const GENDERS = ['female', 'male', 'other', 'not-known'] as const;

/**
 * Built on first use (`z.lazy`): only the routes that take a referral need them, and their
 * hundred-odd schemas would otherwise be built at every cold start of the functions that import it.
 */
const buildSchemas = onFirstUse(() => {
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

  const referrerSchema = z.object({
    name: text(200),
    role: z.optional(text(200)),
    organisation: z.optional(text(200)),
    email: z.email('must be an email address'),
    phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a telephone number'))),
  });

  const about = {
    referralSource: z.enum(REFERRAL_SOURCE_CODES, 'must be a census referral source code such as 2A'),
    children: z.array(childSchema).check(z.minLength(1, 'name at least one child'), z.maxLength(30)),
    adults: z.optional(z.array(adultSchema).check(z.maxLength(30))),
    concerns: z.object({
      whatHappened: freeText(10_000),
      whyNow: freeText(5_000),
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
      withoutConsentReason: z.optional(freeText(2_000)),
    }),
  };

  return {
    named: z.object({ referrer: referrerSchema, ...about }),
    namedOrAnonymous: z.object({ referrer: z.optional(referrerSchema), ...about }).check(
      z.refine((submission) => submission.referralSource !== ANONYMOUS_SOURCE || submission.referrer === undefined, {
        message: 'must be left out of an anonymous referral (referralSource 9): no contact details are kept',
        path: ['referrer'],
      }),
      z.refine((submission) => submission.referralSource === ANONYMOUS_SOURCE || submission.referrer !== undefined, {
        message: 'is required, unless the referral is anonymous (referralSource 9)',
        path: ['referrer'],
      }),
    ),
  };
});

/** The partner API's body: always a named referrer. */
export const referralSubmissionSchema = z.lazy(() => buildSchemas().named);
/** The web form's submission: a named referrer, or none for an anonymous referral (source 9). */
export const formSubmissionSchema = z.lazy(() => buildSchemas().namedOrAnonymous);

/** A submission from either channel; `referrer` is absent only from an anonymous one. */
export type ReferralSubmission = z.output<typeof formSubmissionSchema>;
export type Referrer = NonNullable<ReferralSubmission['referrer']>;
export type ChildSubmission = ReferralSubmission['children'][number];
