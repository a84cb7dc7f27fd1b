/**
 * `GET /v1/openapi.json`: the partner API's contract, public. Served by the service's main HTTP
 * function rather than the partner API's own, so that generating the document from the zod schemas
 * (and the JSON Schema converter it needs) is not in the bundle every submission cold-starts.
 */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import { openApiDocument } from '../../openapi/document';

export function openApiRoutes(): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/openapi.json',
      auth: { kind: 'public' },
      handle: async () => json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }),
    }),
  ];
}
