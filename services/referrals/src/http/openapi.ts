/**
 * `GET /v1/openapi.json`: the partner API's contract, public. Served by the public function rather
 * than the partner API's own, and served as generated (`npm run api:openapi`, from the zod schemas
 * in src/http/openapi/): the function returns one string, and neither builds the document nor holds
 * what builds it.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { SERVED_OPENAPI_DOCUMENT } from './openapi/served-document';
import { routes } from './routes';

export function openApiRoutes(): Route[] {
  return [
    defineRoute(routes.openApiDocument, {
      handle: async () => ({
        status: 200,
        text: SERVED_OPENAPI_DOCUMENT,
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
      }),
    }),
  ];
}
