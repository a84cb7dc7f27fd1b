import { Conflict, TooManyRequests, UnprocessableEntity } from '@fsp/shared/http/errors';
import { defineRoute, json, noContent, type Route } from '@fsp/shared/http/handler';
import { z } from 'zod';

/** A partner referral body, trimmed to what exercises the validators. */
export const sampleReferralBody = z.object({
  referrer: z.object({ name: z.string().min(1).max(200), email: z.email() }),
  referralSource: z.enum(['2A', '3A', '6']),
  immediateDanger: z.boolean(),
  children: z
    .array(z.object({ name: z.string().min(1), dateOfBirth: z.iso.date() }))
    .min(1)
    .max(10),
});

export const validReferral = {
  referrer: { name: 'Jo Bloggs', email: 'jo.bloggs@oakfield.sch.example' },
  referralSource: '2A',
  immediateDanger: false,
  children: [{ name: 'Ava', dateOfBirth: '2017-03-14' }],
};

/** What each handler "wrote"; a rejected request must leave it empty. */
export function sampleRoutes() {
  const written: unknown[] = [];
  const routes: Route[] = [
    defineRoute(
      { method: 'POST', path: '/v1/referrals', auth: { kind: 'partner', scopes: ['referrals/submit'] } },
      {
        body: sampleReferralBody,
        handle: async (request) => {
          written.push(request.body);
          return json(
            201,
            { id: 'ref-1', children: request.body.children.length, agency: request.claims.clientId, correlationId: request.correlationId },
            { location: '/v1/referrals/ref-1' },
          );
        },
      },
    ),
    defineRoute(
      { method: 'GET', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] } },
      {
        params: z.object({ id: z.string().regex(/^ref-[0-9]+$/, 'must be a referral id such as ref-123') }),
        query: z.object({ include: z.enum(['outcome', 'history']).optional() }),
        handle: async (request) => json(200, { id: request.params.id, include: request.query.include ?? null }),
      },
    ),
    defineRoute(
      { method: 'DELETE', path: '/v1/referrals/{id}', auth: { kind: 'partner', scopes: ['referrals/submit'] } },
      { handle: async () => noContent() },
    ),
    defineRoute(
      { method: 'GET', path: '/v1/referrals/latest', auth: { kind: 'public' } },
      { handle: async () => json(200, { latest: true }) },
    ),
    defineRoute(
      { method: 'GET', path: '/assets/{proxy+}', auth: { kind: 'public' } },
      { handle: async (request) => ({ status: 200, text: `asset:${request.params.proxy}` }) },
    ),
    defineRoute(
      { method: 'GET', path: '/cases/mine', auth: { kind: 'worker', roles: ['social-worker', 'team-manager'] } },
      { handle: async (request) => json(200, request.claims) },
    ),
    defineRoute(
      { method: 'GET', path: '/home', auth: { kind: 'page', roles: ['social-worker', 'team-manager'] } },
      { handle: async (request) => json(200, request.claims) },
    ),
    defineRoute(
      { method: 'POST', path: '/home/notes', auth: { kind: 'page', roles: ['social-worker', 'team-manager'] } },
      {
        acceptForm: true,
        body: z.strictObject({ text: z.string().min(1) }),
        handle: async (request) => {
          written.push(request.body);
          return { status: 303, headers: { location: '/home' }, cookies: ['flash=saved; Path=/'] };
        },
      },
    ),
    defineRoute(
      { method: 'POST', path: '/refer', auth: { kind: 'public' } },
      {
        acceptForm: true,
        body: z.object({ name: z.string().min(1), worry: z.string().min(1) }),
        handle: async (request) => {
          written.push(request.body);
          return { status: 303, headers: { location: '/refer/done' } };
        },
      },
    ),
    defineRoute(
      { method: 'POST', path: '/echo-form', auth: { kind: 'public' } },
      {
        acceptForm: true,
        body: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
        handle: async (request) => json(200, request.body),
      },
    ),
    defineRoute(
      { method: 'GET', path: '/boom/{kind}', auth: { kind: 'public' } },
      {
        handle: async (request) => {
          switch (request.params.kind) {
            case 'conflict':
              throw new Conflict('The referral was changed by someone else; reload it.', { extensions: { currentVersion: 4 } });
            case 'unprocessable':
              throw new UnprocessableEntity('This Idempotency-Key was used with a different body.');
            case 'rate':
              throw new TooManyRequests(12.2);
            case 'busy':
              // What a TransactWriteItems still conflicting after its retries throws.
              throw Object.assign(new Error('Transaction cancelled'), {
                name: 'TransactionCanceledException',
                CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
              });
            default:
              throw new Error('connect ECONNREFUSED 10.0.3.7:8000 while writing referral for Ava Smith');
          }
        },
      },
    ),
  ];
  return { routes, written };
}
