/** Query parameters that more than one audience's routes read. */
import * as z from 'zod/mini';
import { MAX_PAGE_SIZE } from '../domain/inbox-page';

/** `limit=` of a paged list: a whole number from 1 to MAX_PAGE_SIZE, written in digits only. */
export const limitParameter = z.lazy(() =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)), z.transform(Number)),
    z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE)),
  ),
);
