import {
  InvalidEventPatternError,
  matchesEventPattern,
  parseEventPattern,
  WILDCARD_COMPLEXITY_LIMIT,
  wildcardComplexity,
} from '../../src/eventbridge/pattern';

const matches = (pattern: unknown, event: unknown) => matchesEventPattern(parseEventPattern(pattern), event);

describe('dots in field names ("Considerations when creating event patterns")', () => {
  // The user guide's own example: both patterns are "identical", and "both event patterns will match the following two events".
  const patterns = {
    nested: { detail: { state: { status: ['running'] } } },
    dotted: { detail: { 'state.status': ['running'] } },
  };
  const events = {
    nested: { detail: { state: { status: 'running' } } },
    dotted: { detail: { 'state.status': 'running' } },
  };

  it.each([
    ['nested', 'nested'],
    ['nested', 'dotted'],
    ['dotted', 'nested'],
    ['dotted', 'dotted'],
  ] as const)('the %s pattern matches the %s event', (pattern, event) => {
    expect(matches(patterns[pattern], events[event])).toBe(true);
  });

  it.each([
    ['nested', 'nested'],
    ['nested', 'dotted'],
    ['dotted', 'nested'],
    ['dotted', 'dotted'],
  ] as const)('neither spelling of the %s pattern matches another value in the %s event', (pattern, event) => {
    const stopped = JSON.parse(JSON.stringify(events[event]).replace('running', 'stopped'));
    expect(matches(patterns[pattern], stopped)).toBe(false);
  });

  it('joins at every level, top-level keys and several dots included', () => {
    expect(matches({ 'detail.state.status': ['running'] }, events.nested)).toBe(true);
    expect(matches({ detail: { state: { status: ['running'] } } }, { 'detail.state.status': 'running' })).toBe(true);
    expect(matches({ 'a.b': { 'c.d': [1] } }, { a: { 'b.c': { d: 1 } } })).toBe(true);
  });

  it('still requires the nesting the joined name describes', () => {
    expect(matches(patterns.dotted, { detail: { state: 'running' } })).toBe(false);
    expect(matches(patterns.dotted, { detail: { status: 'running' } })).toBe(false);
    expect(matches(patterns.dotted, { 'detail.state': { status: 'running' } })).toBe(true);
  });

  it('uses the last of two value lists for one joined field ("EventBridge only uses the last one")', () => {
    const lastNested = { detail: { 'state.status': ['running'], state: { status: ['stopped'] } } };
    expect(matches(lastNested, { detail: { state: { status: 'stopped' } } })).toBe(true);
    expect(matches(lastNested, { detail: { state: { status: 'running' } } })).toBe(false);
    const lastDotted = { detail: { state: { status: ['stopped'] }, 'state.status': ['running'] } };
    expect(matches(lastDotted, { detail: { state: { status: 'running' } } })).toBe(true);
  });

  it('merges fields given under both spellings: all of them must match', () => {
    const pattern = { detail: { 'state.status': ['running'], state: { code: [16] } } };
    expect(matches(pattern, { detail: { state: { status: 'running', code: 16 } } })).toBe(true);
    expect(matches(pattern, { detail: { 'state.status': 'running', state: { code: 16 } } })).toBe(true);
    expect(matches(pattern, { detail: { state: { status: 'running', code: 48 } } })).toBe(false);
  });

  it('lets an event holding one path under both spellings match either value', () => {
    const event = { detail: { 'state.status': 'running', state: { status: 'stopped' } } };
    expect(matches(patterns.nested, event)).toBe(true);
    expect(matches({ detail: { state: { status: ['stopped'] } } }, event)).toBe(true);
    expect(matches({ detail: { state: { status: [{ exists: false }] } } }, event)).toBe(false);
    expect(matches({ detail: { state: { status: [{ 'anything-but': ['running', 'stopped'] }] } } }, event)).toBe(false);
  });

  it('treats "$or" as the operator only as a whole key', () => {
    const pattern = { detail: { 'x.$or': ['a'] } };
    expect(matches(pattern, { detail: { x: { $or: 'a' } } })).toBe(true);
    const or = { detail: { $or: [{ 'state.status': ['running'] }, { 'state.code': [16] }] } };
    expect(matches(or, { detail: { state: { code: 16 } } })).toBe(true);
    expect(matches(or, { detail: { 'state.status': 'running' } })).toBe(true);
    expect(matches(or, { detail: { state: { code: 48 } } })).toBe(false);
  });

  it('keeps the pattern as it was written', () => {
    expect(parseEventPattern(patterns.dotted).json).toEqual(patterns.dotted);
  });
});

describe('wildcard complexity ("There is a limit to how complex a rule using wildcards can be")', () => {
  const reason = (pattern: unknown) => {
    try {
      parseEventPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidEventPatternError) return error.reason;
      throw error;
    }
    return undefined;
  };
  const tooComplex =
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

  it("accepts the user guide's recommended, less complex wildcards", () => {
    expect(reason({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] })).toBeUndefined();
    expect(reason({ FileName: [{ wildcard: '/Users/*/doc.txt' }] })).toBeUndefined();
  });

  it('refuses a value with too many wildcards that one input can keep alive at once', () => {
    expect(reason({ FileName: [{ wildcard: '*a*a*a*a*a*a*a*a*a*a*' }] })).toBe(tooComplex);
  });

  it('refuses repeating sequences after a wildcard', () => {
    const repeated = `/Users/*${'/dir'.repeat(12)}/doc.txt`;
    expect(reason({ FileName: [{ wildcard: repeated }] })).toBe(tooComplex);
  });

  it('adds up the wildcard values on one field, wherever in the pattern they are', () => {
    const values = Array.from({ length: 6 }, (_, index) => ({ wildcard: `*${String.fromCharCode(97 + index)}*` }));
    expect(reason({ detail: { name: values } })).toBe(tooComplex);
    expect(reason({ detail: { name: values.slice(0, 3) }, $or: [{ 'detail.name': values.slice(3) }, { other: ['x'] }] })).toBe(tooComplex);
    // The same values spread over different fields are measured field by field.
    expect(reason({ detail: Object.fromEntries(values.map((value, index) => [`f${index}`, [value]])) })).toBeUndefined();
  });

  it('measures one value as event-ruler reads it, quotes included', () => {
    const globOf = (wildcard: string) => {
      const field = parseEventPattern({ f: [{ wildcard }] }).root.fields.get('f');
      const matcher = field?.matchers?.[0];
      if (matcher?.kind !== 'wildcard') throw new Error('no wildcard');
      return matcher.glob;
    };
    expect(wildcardComplexity([globOf('*')])).toBe(1);
    expect(wildcardComplexity([globOf('Simple*Service')])).toBe(2);
    expect(wildcardComplexity([globOf('*:*:*:*:*:event-bus/*')])).toBe(7);
    expect(WILDCARD_COMPLEXITY_LIMIT).toBe(10);
  });
});
