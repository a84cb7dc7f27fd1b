import * as z from 'zod/mini';

/**
 * A correlation id travels in headers, log lines and event metadata, so it is kept to characters
 * that cannot break any of them (no spaces, quotes or control characters). API Gateway request ids
 * (`JqX2sjNmjoEEMdQ=`), UUIDs and ULIDs all fit.
 */
export const correlationIdSchema = z.lazy(() =>
  z
    .string()
    .check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:=+/-]+$/, 'must contain only letters, digits and . _ : = + / -')),
);

export const CORRELATION_HEADER = 'x-correlation-id';

export const isValidCorrelationId = (value: unknown): value is string => z.safeParse(correlationIdSchema, value).success;
