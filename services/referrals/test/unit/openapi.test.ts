/**
 * The OpenAPI 3.1 document: current on disk, structurally valid, describing every partner route the
 * handler serves, and every request body example valid against the schema its handler uses.
 */
import { readFileSync } from 'node:fs';
import { validate } from '@fsp/shared/events/field-issues';
import { createHttpHandler } from '@fsp/shared/http/handler';
import { createLogger } from '@fsp/shared/observability/logger';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type * as core from 'zod/v4/core';
import { manifest } from '../../service';
import { openApiRoutes } from '../../src/http/openapi';
import { openApiDocument } from '../../src/http/openapi/document';
import { registerWebhookExample, submitReferralExample, tokenRequestExample } from '../../src/http/openapi/examples';
import { OPENAPI_FILE, renderOpenApi, renderServedDocument, SERVED_DOCUMENT_FILE } from '../../src/http/openapi/generate';
import { referralSubmissionSchema, tokenRequestSchema, webhookRegistrationSchema } from '../../src/http/openapi/schemas';

// biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document
type Json = Record<string, any>;
const doc = openApiDocument() as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

it('is committed as generated (run `npm run api:openapi` after changing the API)', () => {
  expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  expect(readFileSync(SERVED_DOCUMENT_FILE, 'utf8')).toBe(renderServedDocument());
});

it('is served at GET /v1/openapi.json without a token, as generated (the route reads nothing)', async () => {
  const served = createHttpHandler(openApiRoutes(), { logger: createLogger('referrals', { level: 'SILENT' }) });
  const response = await served(apiGatewayEvent({ path: '/v1/openapi.json' }));
  expect(response.statusCode).toBe(200);
  expect(response.headers).toMatchObject({ 'content-type': 'application/json' });
  expect(JSON.parse(response.body!)).toEqual(doc);
});

describe('structure (OpenAPI 3.1)', () => {
  it('has the required top-level members', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.schemas).toBeDefined();
    for (const key of Object.keys(doc)) {
      expect([
        'openapi',
        'info',
        'jsonSchemaDialect',
        'servers',
        'paths',
        'webhooks',
        'components',
        'security',
        'tags',
        'externalDocs',
      ]).toContain(key);
    }
  });

  it('resolves every $ref, and every operation has an id, responses and declared security schemes', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true);
      const target = ref
        .slice(2)
        .split('/')
        // biome-ignore lint/suspicious/noExplicitAny: walking a generated JSON document
        .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
    const schemes = Object.keys(doc.components.securitySchemes);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const operation = item[method];
        expect({ path, method, id: typeof operation.operationId }).toEqual({ path, method, id: 'string' });
        expect(ids.has(operation.operationId)).toBe(false);
        ids.add(operation.operationId);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const status of Object.keys(operation.responses)) expect(status).toMatch(/^[1-5]\d\d$/);
        for (const requirement of operation.security ?? []) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
        for (const parameter of operation.parameters ?? []) {
          expect(['query', 'header', 'path', 'cookie']).toContain(parameter.in);
          if (parameter.in === 'path') {
            expect(parameter.required).toBe(true);
            expect(path).toContain(`{${parameter.name}}`);
          }
        }
      }
    }
    expect(doc.components.securitySchemes.partnerOAuth.flows.clientCredentials.scopes).toEqual({
      'referrals/submit': expect.any(String),
      'referrals/read': expect.any(String),
    });
  });
});

describe('contract coverage', () => {
  it('documents every partner route the referrals service serves, plus the webhook registration and the token endpoint', () => {
    const served = (manifest.http?.routes ?? []).filter((route) => route.path.startsWith('/v1/'));
    for (const route of served) expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    expect(doc.paths['/v1/agencies/me/webhook'].put.security).toEqual([{ partnerOAuth: ['referrals/read'] }]);
    expect(doc.paths['/oauth2/token'].post).toBeDefined();
    expect(doc.paths['/v1/referrals'].post.security).toEqual([{ partnerOAuth: ['referrals/submit'] }]);
  });

  it('documents the problem responses, Retry-After, Idempotency-Key and Location', () => {
    const submit = doc.paths['/v1/referrals'].post;
    expect(Object.keys(submit.responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '422', '429']);
    expect(submit.responses['201'].headers.Location).toBeDefined();
    expect(submit.responses['429'].headers['Retry-After']).toBeDefined();
    expect(submit.responses['400'].content['application/problem+json'].example.errors.length).toBeGreaterThan(0);
    expect(submit.parameters.find((p: Json) => p.name === 'Idempotency-Key')).toMatchObject({ in: 'header', required: true });
    expect(doc.paths['/v1/referrals/{id}'].get.responses['404']).toBeDefined();
    expect(doc.paths['/v1/referrals'].get.responses['400']).toBeDefined();
  });

  it('has a complete example for every request body, valid against the schema its handler uses', () => {
    const handlerSchemas: Record<string, core.$ZodType> = {
      'POST /v1/referrals': referralSubmissionSchema,
      'PUT /v1/agencies/me/webhook': webhookRegistrationSchema,
      'POST /oauth2/token': tokenRequestSchema,
    };
    const examples: Record<string, unknown> = {
      'POST /v1/referrals': submitReferralExample,
      'PUT /v1/agencies/me/webhook': registerWebhookExample,
      'POST /oauth2/token': tokenRequestExample,
    };
    const bodies: string[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m]?.requestBody)) {
        const key = `${method.toUpperCase()} ${path}`;
        bodies.push(key);
        const content = Object.values<Json>(item[method].requestBody.content);
        expect(content.length).toBeGreaterThan(0);
        for (const media of content) {
          expect(media.example).toEqual(examples[key]);
          const schema = handlerSchemas[key];
          expect(schema).toBeDefined();
          expect(validate(schema!, media.example)).toMatchObject({ success: true });
        }
      }
    }
    expect(bodies.sort()).toEqual(Object.keys(handlerSchemas).sort());
    // "Complete": the submission example fills every optional field the schema has at the top level.
    expect(Object.keys(submitReferralExample).sort()).toEqual(Object.keys(doc.components.schemas.ReferralSubmission.properties).sort());
  });
});
