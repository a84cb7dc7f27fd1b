import { safeParseEventDetail } from '@fsp/shared/events/build';
import { eventCatalogue } from '@fsp/shared/events/catalogue';
import { eventKey } from '@fsp/shared/events/define';
import { formatJsonPath } from '@fsp/shared/events/field-issues';
import { fixtureDetails } from '@fsp/shared/events/json-schema';
import fc from 'fast-check';

describe.each(eventCatalogue.map((d) => [eventKey(d), d] as const))('%s validator (property)', (_key, definition) => {
  const details = fixtureDetails(definition);

  it('answers any JSON value with a parsed detail or field issues, never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = safeParseEventDetail(definition, value);
        if (!result.success) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.path).toMatch(/^\$/);
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
    );
  });

  it('names the exact field (or, for an object given as {}, the fields it lacks) when any one data field of a fixture is replaced by a value of the wrong kind', () => {
    const [detail] = details;
    const data = detail!.data as Record<string, unknown>;
    const wrongKind = fc.oneof(
      fc.constant(null),
      fc.constant([]),
      fc.constant({}),
      fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(data)), wrongKind, (field, value) => {
        const result = safeParseEventDetail(definition, { ...detail, data: { ...data, [field]: value } });
        expect(result.success).toBe(false);
        if (!result.success) {
          const paths = result.issues.map((i) => i.path);
          expect(paths.some((path) => path === `$.data.${field}` || path.startsWith(`$.data.${field}.`))).toBe(true);
        }
      }),
    );
  });
});

describe('formatJsonPath (property)', () => {
  it('always starts at $ and keeps every key recoverable', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat())), (path) => {
        const formatted = formatJsonPath(path);
        expect(formatted.startsWith('$')).toBe(true);
        for (const key of path)
          expect(formatted).toContain(
            typeof key === 'number' ? `[${key}]` : key.match(/^[A-Za-z_$][A-Za-z0-9_$]*$/) ? `.${key}` : JSON.stringify(key),
          );
      }),
    );
  });
});
