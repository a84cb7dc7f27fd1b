import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventContractError, parseEventDetail } from '@fsp/shared/events/build';
import { eventCatalogue, findEventDefinition } from '@fsp/shared/events/catalogue';
import { describeBreakingChanges, findBreakingChanges } from '@fsp/shared/events/compatibility';
import { eventKey } from '@fsp/shared/events/define';
import { EVENT_DOCS_DIR } from '@fsp/shared/events/generate-json-schemas';
import { fixtureDetails, generateEventDocs, type JsonSchema } from '@fsp/shared/events/json-schema';

const definitions = eventCatalogue.map((definition) => [eventKey(definition), definition] as const);

function contractErrorOf(run: () => unknown): EventContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof EventContractError) return error;
    throw error;
  }
  throw new Error('expected an EventContractError, but the detail was accepted');
}

describe('the event catalogue', () => {
  it('seeds the first product events at version 1', () => {
    expect(eventCatalogue.map(eventKey).sort()).toEqual(
      [
        'AgencyOnboarded.v1',
        'AgencyRevoked.v1',
        'AssessmentCompleted.v1',
        'CaseAllocated.v1',
        'CaseChronologyEntryAdded.v1',
        'CaseClosed.v1',
        'CaseOpened.v1',
        'CaseStatusChanged.v1',
        'CaseTimescaleDueSoon.v1',
        'CaseTimescaleMet.v1',
        'CaseTimescaleOverdue.v1',
        'InboxItemDelivered.v1',
        'InboxItemRead.v1',
        'ReferralAccepted.v1',
        'ReferralDecided.v1',
        'ReferralDecisionDue.v1',
        'ReferralDecisionOverdue.v1',
        'ReferralSubmitted.v1',
        'SupervisionActionAssigned.v1',
        'SupervisionActionBecameOverdue.v1',
        'SupervisionActionCompleted.v1',
        'SupervisionActionDueSoon.v1',
        'SupervisionBecameOverdue.v1',
        'SupervisionDueSoon.v1',
        'SupervisionHeld.v1',
        'SupervisionScheduled.v1',
      ].sort(),
    );
    expect(findEventDefinition('ReferralSubmitted', 1)?.producer).toBe('fsp.referrals');
    expect(findEventDefinition('ReferralSubmitted', 99)).toBeUndefined();
  });

  describe.each(definitions)('%s', (_key, definition) => {
    it('has fixtures that parse as complete details', () => {
      const details = fixtureDetails(definition);
      expect(details.length).toBeGreaterThan(0);
      for (const detail of details) expect(parseEventDetail(definition, detail).data).toEqual(detail.data);
    });

    it('rejects a fixture with a required data field removed, naming that field', () => {
      const [detail] = fixtureDetails(definition);
      const data = { ...(detail?.data as Record<string, unknown>) };
      const field = Object.keys(data)[0] as string;
      delete data[field];
      const error = contractErrorOf(() => parseEventDetail(definition, { ...detail, data }));
      expect(error.issues).toContainEqual({ path: `$.data.${field}`, message: `${field} is required` });
      expect(error.message).toContain(`$.data.${field}`);
    });

    it('rejects a fixture with a data field of the wrong type, naming that field', () => {
      const [detail] = fixtureDetails(definition);
      // Every event's first data field is an id (a string); a number in its place must be named.
      const data = { ...(detail?.data as Record<string, unknown>) };
      const field = Object.keys(data)[0] as string;
      expect(typeof data[field]).toBe('string');
      data[field] = 42;
      const error = contractErrorOf(() => parseEventDetail(definition, { ...detail, data }));
      expect(error.issues.map((issue) => issue.path)).toContain(`$.data.${field}`);
    });

    it('rejects a detail from another producer or version', () => {
      const [detail] = fixtureDetails(definition);
      const error = contractErrorOf(() =>
        parseEventDetail(definition, {
          ...detail,
          metadata: { ...detail?.metadata, producer: 'fsp.elsewhere', schemaVersion: definition.version + 1 },
        }),
      );
      expect(error.issues.map((issue) => issue.path).sort()).toEqual(['$.metadata.producer', '$.metadata.schemaVersion']);
    });
  });
});

describe('docs/events', () => {
  const generated = generateEventDocs(eventCatalogue);
  const committed = readdirSync(EVENT_DOCS_DIR).filter((name) => name.endsWith('.schema.json') || name === 'README.md');

  it('holds exactly what the generator produces now (run `npm run events:schemas` after changing an event)', () => {
    const stale: string[] = [];
    for (const [name, contents] of generated) {
      let onDisk: string | undefined;
      try {
        onDisk = readFileSync(join(EVENT_DOCS_DIR, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (onDisk !== contents) stale.push(name);
    }
    const extra = committed.filter((name) => !generated.has(name));
    if (stale.length > 0 || extra.length > 0) {
      throw new Error(
        `docs/events is out of date (${[...stale.map((n) => `changed: ${n}`), ...extra.map((n) => `no definition: ${n}`)].join(', ')}). ` +
          'Run `npm run events:schemas` and commit the result; a schema file without a definition means a published version was removed (see docs/adr/0002-event-contracts.md).',
      );
    }
  });

  it.each(committed.filter((name) => name.endsWith('.schema.json')))(
    '%s: the current definition is compatible with the published schema',
    (name) => {
      const published = JSON.parse(readFileSync(join(EVENT_DOCS_DIR, name), 'utf8')) as JsonSchema;
      const current = generated.get(name);
      if (current === undefined)
        throw new Error(`${name} is published but has no definition in eventCatalogue: a published version was removed`);
      const changes = findBreakingChanges(published, JSON.parse(current) as JsonSchema);
      if (changes.length > 0) {
        throw new Error(
          `${name} changed incompatibly; publish a new version instead (docs/adr/0002-event-contracts.md):\n${describeBreakingChanges(changes)}`,
        );
      }
    },
  );
});
