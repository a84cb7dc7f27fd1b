import { buildEvent, EventContractError, parseEventDetail, safeParseEventDetail } from '@fsp/shared/events/build';
import { defineEvent } from '@fsp/shared/events/define';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { detailSchema, eventMetadataSchema } from '@fsp/shared/events/envelope';
import { z } from 'zod';

const [fixture] = referralSubmittedV1.fixtures;
const context = {
  clock: () => new Date('2026-01-05T09:30:00.000Z'),
  correlationId: 'JqX2sjNmjoEEMdQ=',
  causationId: 'JqX2sjNmjoEEMdQ=',
  newId: () => '3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35',
};

describe('buildEvent', () => {
  it('builds the EventBridge entry: source, detail-type and detail with complete metadata', () => {
    expect(buildEvent(referralSubmittedV1, fixture!, context)).toEqual({
      source: 'fsp.referrals',
      detailType: 'ReferralSubmitted',
      detail: {
        metadata: {
          eventId: '3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35',
          schemaVersion: 1,
          occurredAt: '2026-01-05T09:30:00.000Z',
          correlationId: 'JqX2sjNmjoEEMdQ=',
          causationId: 'JqX2sjNmjoEEMdQ=',
          producer: 'fsp.referrals',
        },
        data: fixture,
      },
    });
  });

  it('gives each event a fresh UUID when no id source is passed', () => {
    const { newId: _unused, ...withoutId } = context;
    const a = buildEvent(referralSubmittedV1, fixture!, withoutId).detail.metadata.eventId;
    const b = buildEvent(referralSubmittedV1, fixture!, withoutId).detail.metadata.eventId;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('drops fields the contract does not name, so personal detail cannot leak in by accident', () => {
    const record = { ...fixture!, childNames: ['Ava Smith'], narrative: 'what happened' };
    const event = buildEvent(referralSubmittedV1, record, context);
    expect(event.detail.data).not.toHaveProperty('childNames');
    expect(JSON.stringify(event)).not.toContain('Ava');
  });

  it('refuses data that breaks the contract, naming every failing field', () => {
    const bad = { ...fixture!, childCount: 0, referralSource: '11', receivedAt: '2026-01-05 09:30' } as unknown as typeof fixture & object;
    expect(() => buildEvent(referralSubmittedV1, bad, context)).toThrow(EventContractError);
    try {
      buildEvent(referralSubmittedV1, bad, context);
    } catch (error) {
      expect((error as EventContractError).issues.map((i) => i.path).sort()).toEqual([
        '$.data.childCount',
        '$.data.receivedAt',
        '$.data.referralSource',
      ]);
    }
  });

  it('refuses a correlation id that could break a header or a log line', () => {
    expect(() => buildEvent(referralSubmittedV1, fixture!, { ...context, correlationId: 'two words\n' })).toThrow(
      '$.metadata.correlationId',
    );
  });
});

describe('parseEventDetail', () => {
  it('returns the typed detail of a built event', () => {
    const { detail } = buildEvent(referralSubmittedV1, fixture!, context);
    const parsed = parseEventDetail(referralSubmittedV1, JSON.parse(JSON.stringify(detail)));
    expect(parsed.data.referralSource).toBe('2A');
    expect(parsed.metadata.eventId).toBe(context.newId());
  });

  it('accepts fields added later by the producer (consumers must be tolerant readers)', () => {
    const { detail } = buildEvent(referralSubmittedV1, fixture!, context);
    const parsed = parseEventDetail(referralSubmittedV1, { ...detail, data: { ...detail.data, addedInAMinorChange: true } });
    expect(parsed.data.referralId).toBe(fixture!.referralId);
  });

  it('reports occurredAt without an offset as a problem a person can fix', () => {
    const { detail } = buildEvent(referralSubmittedV1, fixture!, context);
    const result = safeParseEventDetail(referralSubmittedV1, {
      ...detail,
      metadata: { ...detail.metadata, occurredAt: '2026-01-05T09:30:00' },
    });
    expect(result).toEqual({
      success: false,
      issues: [
        { path: '$.metadata.occurredAt', message: expect.stringContaining('with a time zone offset, for example 2026-01-05T09:30:00Z') },
      ],
    });
  });

  it('names nested fields by JSON path', () => {
    const detail = { metadata: { eventId: 'nope' }, data: { children: [{}] } };
    const result = safeParseEventDetail(referralSubmittedV1, detail);
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['$.metadata.eventId', '$.metadata.schemaVersion', '$.data.referralId']),
      );
  });
});

describe('the envelope', () => {
  it('offers a generic detail schema for any data', () => {
    const schema = detailSchema(z.object({ n: z.number() }));
    const metadata = {
      eventId: context.newId(),
      schemaVersion: 3,
      occurredAt: '2026-06-01T10:00:00+01:00',
      correlationId: 'c',
      causationId: 'c',
      producer: 'fsp.cases',
    };
    expect(schema.safeParse({ metadata, data: { n: 1 } }).success).toBe(true);
    expect(eventMetadataSchema().safeParse({ ...metadata, schemaVersion: 0 }).success).toBe(false);
    expect(eventMetadataSchema().safeParse({ ...metadata, producer: 'cases' }).success).toBe(false);
  });

  it('refuses badly named events when they are defined', () => {
    const empty = z.object({});
    const base = { producer: 'fsp.cases', version: 1, data: () => empty, fixtures: [{}] as [z.input<typeof empty>] };
    expect(() => defineEvent({ ...base, detailType: 'caseOpened' })).toThrow('PascalCase');
    expect(() => defineEvent({ ...base, detailType: 'CaseOpened', producer: 'cases' })).toThrow('fsp.<service>');
    expect(() => defineEvent({ ...base, detailType: 'CaseOpened', version: 0 })).toThrow('positive integer');
  });
});
