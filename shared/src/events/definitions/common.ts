import * as z from 'zod/mini';

/** Ids are opaque to consumers (UUIDs, ULIDs, Cognito subs, team slugs all fit); the pattern keeps them safe in keys and URLs. */
export const idSchema = z.lazy(() =>
  z
    .string()
    .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be an id made of letters, digits and . _ : -')),
);

/** The human-readable referral reference the referrer was given, for example FSP-2026-000123. */
export const referenceSchema = z.lazy(() => z.string().check(z.minLength(1), z.maxLength(32)));

export { instantSchema } from '../envelope';
