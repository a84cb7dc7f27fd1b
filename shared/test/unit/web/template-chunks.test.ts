import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledTemplate } from '@fsp/shared/web/environment';
import { templatesLoadedOnFirstUse } from '@fsp/shared/web/template-chunks';

/** A chunk file that counts its own loads in a global, as the generator's chunks are plain CommonJS modules. */
const chunkSource = (counter: string, names: readonly string[]) =>
  `globalThis[${JSON.stringify(counter)}] = (globalThis[${JSON.stringify(counter)}] ?? 0) + 1;
module.exports = {${names.map((name) => `${JSON.stringify(name)}: { root: ${JSON.stringify(name)} }`).join(', ')}};`;

const loadsOf = (counter: string): number => ((globalThis as Record<string, unknown>)[counter] as number | undefined) ?? 0;

describe('templates loaded on first use', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-template-chunks-'));
    writeFileSync(join(directory, 'note.js'), chunkSource('fspNoteChunk', ['note.njk', 'govuk/table.njk']));
    writeFileSync(join(directory, 'plan.js'), chunkSource('fspPlanChunk', ['plan.njk']));
    writeFileSync(join(directory, 'wrong.js'), chunkSource('fspWrongChunk', ['something-else.njk']));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const layout: CompiledTemplate = { root: 'layout' };
  const templates = () =>
    templatesLoadedOnFirstUse(
      directory,
      { 'fsp/layout.njk': layout },
      { 'note.njk': 'note.js', 'govuk/table.njk': 'note.js', 'plan.njk': 'plan.js', 'lost.njk': 'wrong.js' },
    );

  it('lists every template, in name order, and loads no chunk until one of its templates is asked for', () => {
    const set = templates();
    expect(Object.keys(set)).toEqual(['fsp/layout.njk', 'govuk/table.njk', 'lost.njk', 'note.njk', 'plan.njk']);
    expect(set['fsp/layout.njk']).toBe(layout);
    expect(loadsOf('fspNoteChunk')).toBe(0);
    expect(loadsOf('fspPlanChunk')).toBe(0);
  });

  it('loads a chunk once, on the first use of any of its templates, and not the chunks of templates not used', () => {
    const set = templates();
    expect(set['note.njk']).toEqual({ root: 'note.njk' });
    expect(set['govuk/table.njk']).toEqual({ root: 'govuk/table.njk' });
    expect(set['note.njk']).toBe(set['note.njk']);
    expect(loadsOf('fspNoteChunk')).toBe(1);
    expect(loadsOf('fspPlanChunk')).toBe(0);
  });

  it('names the chunk and the template when a chunk does not hold a template it is named for', () => {
    expect(() => templates()['lost.njk']).toThrow(
      `template chunk ${join(directory, 'wrong.js')} does not hold lost.njk; run npm run web:templates`,
    );
  });

  it('cannot be changed: a render reads the set, never writes it', () => {
    expect(Object.isFrozen(templates())).toBe(true);
  });
});
