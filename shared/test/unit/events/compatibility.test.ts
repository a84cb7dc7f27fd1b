import { findBreakingChanges } from '@fsp/shared/events/compatibility';
import type { JsonSchema } from '@fsp/shared/events/json-schema';

const published: JsonSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        referralId: { type: 'string' },
        outcome: { type: 'string', enum: ['a', 'b'] },
        agencyId: { type: 'string' },
        children: { type: 'array', items: { type: 'object', properties: { childId: { type: 'string' } }, required: ['childId'] } },
      },
      required: ['referralId', 'outcome', 'children'],
    },
  },
  required: ['data'],
};

type Props = Record<string, JsonSchema>;
const clone = (): JsonSchema => structuredClone(published);
const dataOf = (schema: JsonSchema) => (schema.properties as Props).data as JsonSchema & { properties: Props; required: string[] };

describe('findBreakingChanges', () => {
  it('accepts an identical schema', () => {
    expect(findBreakingChanges(published, clone())).toEqual([]);
  });

  it('accepts an added optional field, at any depth', () => {
    const current = clone();
    dataOf(current).properties.caseId = { type: 'string' };
    ((dataOf(current).properties.children as JsonSchema).items as { properties: Props }).properties.unborn = { type: 'boolean' };
    expect(findBreakingChanges(published, current)).toEqual([]);
  });

  it('accepts a changed constraint that keeps the type', () => {
    const current = clone();
    dataOf(current).properties.referralId = { type: 'string', maxLength: 64 };
    expect(findBreakingChanges(published, current)).toEqual([]);
  });

  it('reports a removed field', () => {
    const current = clone();
    delete dataOf(current).properties.agencyId;
    expect(findBreakingChanges(published, current)).toEqual([{ path: '$.data.agencyId', problem: 'removed' }]);
  });

  it('reports a retyped field', () => {
    const current = clone();
    dataOf(current).properties.referralId = { type: 'integer' };
    expect(findBreakingChanges(published, current)).toEqual([
      { path: '$.data.referralId', problem: expect.stringContaining('type changed') },
    ]);
  });

  it('reports a changed enum, in either direction', () => {
    const widened = clone();
    dataOf(widened).properties.outcome = { type: 'string', enum: ['a', 'b', 'c'] };
    const narrowed = clone();
    dataOf(narrowed).properties.outcome = { type: 'string', enum: ['a'] };
    expect(findBreakingChanges(published, widened).map((c) => c.path)).toEqual(['$.data.outcome']);
    expect(findBreakingChanges(published, narrowed).map((c) => c.path)).toEqual(['$.data.outcome']);
  });

  it('reports a change of requiredness both ways', () => {
    const current = clone();
    dataOf(current).required = ['outcome', 'children', 'agencyId'];
    expect(findBreakingChanges(published, current)).toEqual([
      { path: '$.data.referralId', problem: 'was required, is now optional' },
      { path: '$.data.agencyId', problem: 'was optional, is now required' },
    ]);
  });

  it('reports an added required field', () => {
    const current = clone();
    dataOf(current).properties.teamId = { type: 'string' };
    dataOf(current).required.push('teamId');
    expect(findBreakingChanges(published, current)).toEqual([
      { path: '$.data.teamId', problem: expect.stringContaining('added as required') },
    ]);
  });

  it('looks inside array items', () => {
    const current = clone();
    ((dataOf(current).properties.children as JsonSchema).items as { properties: Props }).properties.childId = { type: 'number' };
    expect(findBreakingChanges(published, current).map((c) => c.path)).toEqual(['$.data.children[].childId']);
  });
});
