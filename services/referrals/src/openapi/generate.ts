/**
 * `npm run api:openapi`: writes the partner API's OpenAPI 3.1 document to docs/api/openapi.json,
 * exactly as `GET /v1/openapi.json` serves it. A test fails when the committed file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApiDocument } from './document';

export const OPENAPI_FILE = join(__dirname, '../../../../docs/api/openapi.json');

export const renderOpenApi = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (require.main === module) {
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
