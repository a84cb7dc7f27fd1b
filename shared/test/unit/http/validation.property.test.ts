import { createHttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { apiGatewayEvent, capturingLogger, partnerClaims, problemOf } from '@fsp/shared/testing/api-gateway-event';
import fc from 'fast-check';
import { sampleReferralBody, sampleRoutes, validReferral } from './sample-routes';

const { routes } = sampleRoutes();
const { logger } = capturingLogger();
const handler = createHttpHandler(routes, { logger, pages: pageSessions() });
const submit = (body: string) =>
  handler(
    apiGatewayEvent({
      method: 'POST',
      path: '/v1/referrals',
      body,
      headers: { 'content-type': 'application/json' },
      claims: partnerClaims(),
    }),
  );

/** Values that are sometimes right and often subtly wrong for the sample schema. */
const nearlyValid = fc.record(
  {
    referrer: fc.oneof(
      fc.record({ name: fc.string(), email: fc.oneof(fc.emailAddress(), fc.string()) }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    referralSource: fc.oneof(fc.constantFrom('2A', '3A', '6', '9', ''), fc.jsonValue()),
    immediateDanger: fc.oneof(fc.boolean(), fc.jsonValue()),
    children: fc.oneof(
      fc.array(
        fc.record({
          name: fc.string(),
          dateOfBirth: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
            fc.string(),
          ),
        }),
        { maxLength: 12 },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

describe('request validation (property)', () => {
  it('never answers 5xx to any JSON body, and every error names a $ path in the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), nearlyValid), async (body) => {
        const result = await submit(JSON.stringify(body));
        expect(result.statusCode).toBeLessThan(500);
        const valid = sampleReferralBody.safeParse(body).success;
        expect(result.statusCode).toBe(valid ? 201 : 400);
        if (!valid) {
          const errors = problemOf(result).errors ?? [];
          expect(errors.length).toBeGreaterThan(0);
          for (const error of errors) {
            expect(error.in).toBe('body');
            expect(error.path).toMatch(/^\$/);
            expect(error.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists at least one $.-path error for every invalid object body', async () => {
    await fc.assert(
      fc.asyncProperty(nearlyValid, async (body) => {
        fc.pre(!sampleReferralBody.safeParse(body).success);
        const result = await submit(JSON.stringify(body));
        expect(result.statusCode).toBe(400);
        expect((problemOf(result).errors ?? []).some((error) => error.path.startsWith('$.'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to arbitrary text sent as JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(JSON.stringify(validReferral).slice(0, -1))),
        async (text) => {
          const result = await submit(text);
          expect(result.statusCode).toBeLessThan(500);
          expect([201, 400]).toContain(result.statusCode);
        },
      ),
      { numRuns: 300 },
    );
  });
});
