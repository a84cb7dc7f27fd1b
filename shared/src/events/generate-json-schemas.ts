/**
 * `npm run events:schemas`: writes docs/events from the catalogue. It refuses to overwrite a
 * published schema with a breaking change, because regenerating must never be the way a broken
 * contract gets past the compatibility test: publish a new version instead (ADR 0002).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventCatalogue } from './catalogue';
import { describeBreakingChanges, findBreakingChanges } from './compatibility';
import { generateEventDocs, type JsonSchema } from './json-schema';

export const EVENT_DOCS_DIR = resolve(__dirname, '../../../docs/events');

export function writeEventDocs(directory: string = EVENT_DOCS_DIR): string[] {
  const files = generateEventDocs(eventCatalogue);
  const refusals: string[] = [];
  for (const [name, contents] of files) {
    const target = join(directory, name);
    if (!name.endsWith('.schema.json') || !existsSync(target)) continue;
    const changes = findBreakingChanges(JSON.parse(readFileSync(target, 'utf8')) as JsonSchema, JSON.parse(contents) as JsonSchema);
    if (changes.length > 0) refusals.push(`${name}:\n${describeBreakingChanges(changes)}`);
  }
  if (refusals.length > 0) {
    throw new Error(
      `Refusing to overwrite published event schemas with breaking changes:\n${refusals.join('\n')}\n` +
        'Keep the published version as it was and add a new version beside it (docs/adr/0002-event-contracts.md).',
    );
  }
  mkdirSync(directory, { recursive: true });
  for (const [name, contents] of files) writeFileSync(join(directory, name), contents);
  return [...files.keys()];
}

if (require.main === module) {
  const written = writeEventDocs();
  console.log(`docs/events: wrote ${written.length} files`);
}
