import fc from 'fast-check';
import {
  InvalidEventPatternError,
  type JsonLeaf,
  type JsonValue,
  matchesEventPattern,
  matchesPreparedEvent,
  matchGlob,
  parseEventPattern,
  prepareEvent,
  WILDCARD_COMPLEXITY_LIMIT,
} from '../../../src/eventbridge/pattern';

type JsonObject = { [key: string]: JsonValue };

const leaf: fc.Arbitrary<JsonLeaf> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const fieldName = fc.string({ minLength: 1, maxLength: 8 }).filter((name) => name !== '$or');

/** EventBridge joins nested names with dots, so `{"a.b": 1}` and `{"a": {"b": 1}}` name one path (see the dots property). */
const plainFieldName = fieldName.filter((name) => !name.includes('.'));

/** Events of nested objects whose leaves are values or non-empty lists of values. */
const eventWith = (names: fc.Arbitrary<string>): fc.Arbitrary<JsonObject> =>
  fc.letrec<{ object: JsonObject; value: JsonValue }>((tie) => ({
    object: fc.dictionary(names, tie('value'), { minKeys: 1, maxKeys: 4 }),
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(leaf, { minLength: 1, maxLength: 3 }), tie('object')),
  })).object;
const event = eventWith(fieldName);
/** No two spellings of one path: each value list of its exact pattern is the only one for its path. */
const plainEvent = eventWith(plainFieldName);

/** The pattern EventBridge users write first: every leaf of the event, matched exactly. */
function exactPatternFor(object: JsonObject): JsonObject {
  const pattern: JsonObject = {};
  for (const [name, value] of Object.entries(object)) {
    if (Array.isArray(value)) pattern[name] = value;
    else if (typeof value === 'object' && value !== null) pattern[name] = exactPatternFor(value);
    else pattern[name] = [value];
  }
  return pattern;
}

/** Paths (lists of field names) to every value list in a pattern. */
function valueListPaths(pattern: JsonObject, prefix: string[] = []): string[][] {
  return Object.entries(pattern).flatMap(([name, value]) =>
    Array.isArray(value) ? [[...prefix, name]] : valueListPaths(value as JsonObject, [...prefix, name]),
  );
}

function withValueList(pattern: JsonObject, path: readonly string[], list: JsonValue[]): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error('an empty path names no value list');
  const child = pattern[head];
  return { ...pattern, [head]: rest.length === 0 ? list : withValueList(child as JsonObject, rest, list) };
}

// ---------------------------------------------------------------------------------------------
// Generators of valid patterns, one branch per documented operator
// ---------------------------------------------------------------------------------------------

const nonEmptyText = fc.string({ minLength: 1, maxLength: 6 });
const patternNumber = fc.integer({ min: -5_000_000, max: 5_000_000 }).map((thousandths) => thousandths / 1000);
const escapeGlobText = (text: string) => text.replace(/[\\*]/g, (character) => `\\${character}`);
const wildcardValue = fc
  .array(fc.string({ maxLength: 2 }), { minLength: 1, maxLength: 3 })
  // Empty pieces in the middle would put two stars side by side, which EventBridge refuses.
  .filter((pieces) => pieces.slice(1, -1).every((piece) => piece.length > 0))
  .map((pieces) => pieces.map(escapeGlobText).join('*'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

const numericTerms: fc.Arbitrary<JsonValue[]> = fc.oneof(
  patternNumber.map((value) => ['=', value]),
  fc.tuple(fc.constantFrom('<', '<=', '>', '>='), patternNumber).map(([operator, value]) => [operator, value]),
  fc
    .tuple(fc.constantFrom('>', '>='), patternNumber, fc.constantFrom('<', '<='), patternNumber)
    .filter(([, bottom, , top]) => bottom < top)
    .map(([lower, bottom, upper, top]) => [lower, bottom, upper, top]),
);

const anythingButOperand: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.string(),
  patternNumber,
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
  fc.array(patternNumber, { minLength: 1, maxLength: 3 }),
  nonEmptyText.map((prefix) => ({ prefix })),
  fc.array(nonEmptyText, { minLength: 1, maxLength: 3 }).map((suffix) => ({ suffix })),
  fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 })).map((value) => ({ 'equals-ignore-case': value })),
  wildcardValue.map((wildcard) => ({ wildcard })),
);

const matchExpression: fc.Arbitrary<JsonValue> = fc.oneof(
  leaf,
  fc.string().map((prefix) => ({ prefix })),
  fc.string().map((value) => ({ prefix: { 'equals-ignore-case': value } })),
  fc.string().map((suffix) => ({ suffix })),
  fc.string().map((value) => ({ suffix: { 'equals-ignore-case': value } })),
  fc.string().map((value) => ({ 'equals-ignore-case': value })),
  wildcardValue.map((wildcard) => ({ wildcard })),
  numericTerms.map((numeric) => ({ numeric })),
  fc.boolean().map((exists) => ({ exists })),
  anythingButOperand.map((operand) => ({ 'anything-but': operand })),
  fc.tuple(ipv4, fc.integer({ min: 0, max: 31 })).map(([address, bits]) => ({ cidr: `${address}/${bits}` })),
);

const RESERVED_INSIDE_OR = ['prefix', 'suffix', 'numeric', 'exists', 'anything-but', 'wildcard', 'cidr', 'equals-ignore-case', 'exactly'];
const fieldNameInsideOr = fieldName.filter((name) => !RESERVED_INSIDE_OR.includes(name) && !/^[<>=]/.test(name));

function patternObjects(names: fc.Arbitrary<string>, depth: number): fc.Arbitrary<JsonObject> {
  const values: fc.Arbitrary<JsonValue> =
    depth === 0
      ? fc.array(matchExpression, { minLength: 1, maxLength: 3 })
      : fc.oneof(fc.array(matchExpression, { minLength: 1, maxLength: 3 }), patternObjects(names, depth - 1));
  const fields = fc.dictionary(names, values, { minKeys: 1, maxKeys: 3 });
  if (depth === 0) return fields;
  const alternatives = fc.array(patternObjects(fieldNameInsideOr, depth - 1), { minLength: 2, maxLength: 3 });
  return fc.oneof(
    fields,
    fc.tuple(fields, alternatives).map(([object, $or]) => ({ ...object, $or })),
  );
}

/**
 * Whether the pattern is surely under EventBridge's wildcard complexity limit, by a bound of its own:
 * the wildcard values on one joined path cannot keep more states alive at once than they have
 * positions (the bytes of each value in quotes, stars aside).
 */
function surelyWithinWildcardLimit(pattern: JsonObject): boolean {
  const positions = new Map<string, number>();
  const walk = (object: JsonObject, prefix: string) => {
    for (const [name, value] of Object.entries(object)) {
      if (name === '$or' && Array.isArray(value)) {
        for (const alternative of value) walk(alternative as JsonObject, prefix);
        continue;
      }
      const path = prefix === '' ? name : `${prefix}.${name}`;
      if (!Array.isArray(value)) {
        walk(value as JsonObject, path);
        continue;
      }
      for (const expression of value) {
        if (typeof expression !== 'object' || expression === null || Array.isArray(expression)) continue;
        const wildcard = expression.wildcard;
        if (typeof wildcard !== 'string') continue;
        const bytes = Buffer.byteLength(wildcard.replace(/\*/g, ''), 'utf8') + 2;
        positions.set(path, (positions.get(path) ?? 0) + bytes);
      }
    }
  };
  walk(pattern, '');
  return [...positions.values()].every((count) => count <= WILDCARD_COMPLEXITY_LIMIT);
}

const validPattern = patternObjects(fieldName, 2).filter(surelyWithinWildcardLimit);
const plainValidPattern = patternObjects(plainFieldName, 2).filter(surelyWithinWildcardLimit);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rewrites nested objects as dotted keys (`{"a": {"b": X}}` to `{"a.b": X}`) wherever `spellDotted`
 * says so, never into a `$or` (`"a.$or"` would be a field, not the operator) nor into an array.
 * Names without dots cannot collide once joined.
 */
function respell(value: JsonObject, spellDotted: (path: string) => boolean, path = ''): JsonObject {
  const out: JsonObject = {};
  for (const [name, child] of Object.entries(value)) {
    const childPath = `${path}/${name}`;
    if (!isObject(child)) {
      out[name] = child;
      continue;
    }
    const inner = respell(child, spellDotted, childPath);
    if (name !== '$or' && !Object.hasOwn(child, '$or') && spellDotted(childPath)) {
      for (const [innerName, innerChild] of Object.entries(inner)) out[`${name}.${innerName}`] = innerChild;
    } else {
      out[name] = inner;
    }
  }
  return out;
}

const anyJsonEvent = fc.oneof(event as fc.Arbitrary<unknown>, fc.jsonValue());

describe('event pattern properties', () => {
  it('an exact pattern built from an event always matches that event', () => {
    fc.assert(
      fc.property(event, (generated) => {
        expect(matchesEventPattern(parseEventPattern(exactPatternFor(generated)), generated)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("matches an event prepared once against many patterns as it matches the event against each alone (a bus's rules)", () => {
    fc.assert(
      fc.property(
        plainEvent,
        fc.array(fc.oneof(plainValidPattern, plainEvent.map(exactPatternFor)), { maxLength: 8 }),
        (generated, patterns) => {
          const exact = parseEventPattern(exactPatternFor(generated));
          const rules = [...patterns.map((pattern) => parseEventPattern(pattern)), exact];
          const prepared = prepareEvent(generated);
          expect(rules.map((rule) => matchesPreparedEvent(rule, prepared))).toEqual(
            rules.map((rule) => matchesEventPattern(rule, generated)),
          );
          expect(matchesPreparedEvent(exact, prepared)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a pattern asking for a value the event does not hold never matches', () => {
    fc.assert(
      fc.property(
        plainEvent,
        fc.nat(),
        fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
        (generated, choice, absent) => {
          const exact = exactPatternFor(generated);
          const paths = valueListPaths(exact);
          const path = paths[choice % paths.length] ?? [];
          const present = path.reduce<JsonValue>((value, name) => (value as JsonObject)[name] as JsonValue, exact) as JsonValue[];
          fc.pre(!present.some((value) => Object.is(value, absent) || value === absent));
          const pattern = parseEventPattern(withValueList(exact, path, [absent]));
          expect(matchesEventPattern(pattern, generated)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same verdict whether a path is spelt with dots or with nesting, in the pattern, the event or both', () => {
    fc.assert(
      fc.property(
        plainEvent,
        fc.oneof(plainValidPattern, plainEvent.map(exactPatternFor)),
        fc.func(fc.boolean()),
        fc.func(fc.boolean()),
        (generated, pattern, dottedInPattern, dottedInEvent) => {
          const verdict = matchesEventPattern(parseEventPattern(pattern), generated);
          const dottedPattern = parseEventPattern(respell(pattern, dottedInPattern));
          const dottedEvent = respell(generated, dottedInEvent);
          expect(matchesEventPattern(dottedPattern, generated)).toBe(verdict);
          expect(matchesEventPattern(parseEventPattern(pattern), dottedEvent)).toBe(verdict);
          expect(matchesEventPattern(dottedPattern, dottedEvent)).toBe(verdict);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts every generated valid pattern and keeps it exactly, through a JSON round trip too', () => {
    fc.assert(
      fc.property(validPattern, (pattern) => {
        const parsed = parseEventPattern(pattern);
        expect(parsed.json).toEqual(pattern);
        // JSON has no negative zero: a -0 leaf comes back as 0, which is what EventBridge would receive too.
        expect(parseEventPattern(JSON.stringify(parsed.json)).json).toEqual(JSON.parse(JSON.stringify(pattern)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same verdict for a pattern and its round-tripped copy, and never throws while matching', () => {
    fc.assert(
      fc.property(validPattern, anyJsonEvent, (pattern, generated) => {
        const verdict = matchesEventPattern(parseEventPattern(pattern), generated);
        expect(typeof verdict).toBe('boolean');
        expect(matchesEventPattern(parseEventPattern(JSON.stringify(pattern)), generated)).toBe(verdict);
      }),
      { numRuns: 500 },
    );
  });

  const acceptsOrRefusesCleanly = (input: unknown) => {
    try {
      parseEventPattern(input);
    } catch (error) {
      if (!(error instanceof InvalidEventPatternError)) throw error;
      expect(error.message.startsWith('Event pattern is not valid. Reason: ')).toBe(true);
    }
  };

  it('throws nothing but InvalidEventPatternError for arbitrary values', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(fc.property(anything, acceptsOrRefusesCleanly), { numRuns: 1000 });
  });

  it('throws nothing but InvalidEventPatternError for arbitrary text and JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        acceptsOrRefusesCleanly,
      ),
      {
        numRuns: 1000,
      },
    );
  });

  it('throws nothing but InvalidEventPatternError for valid patterns with one part replaced by garbage', () => {
    function replaceAt(value: JsonValue, choice: number, replacement: JsonValue): JsonValue {
      if (choice === 0 || value === null || typeof value !== 'object') return replacement;
      const entries = Array.isArray(value) ? value.map((child, index) => [String(index), child] as const) : Object.entries(value);
      const [key, child] = entries[choice % entries.length] ?? ['', null];
      const replaced = replaceAt(child, Math.floor(choice / 2), replacement);
      if (Array.isArray(value)) return value.map((element, index) => (String(index) === key ? replaced : element));
      return { ...value, [key]: replaced };
    }
    fc.assert(
      fc.property(validPattern, fc.nat(64), fc.jsonValue({ maxDepth: 2 }), (pattern, choice, garbage) => {
        acceptsOrRefusesCleanly(replaceAt(pattern, choice, garbage as JsonValue));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('operator properties', () => {
  it('numeric ranges agree with plain comparison', () => {
    const integerInRange = fc.integer({ min: -1_000, max: 1_000 });
    fc.assert(
      fc.property(
        integerInRange,
        integerInRange,
        fc.boolean(),
        fc.boolean(),
        integerInRange,
        (a, b, lowerInclusive, upperInclusive, value) => {
          fc.pre(a < b);
          const pattern = parseEventPattern({ n: [{ numeric: [lowerInclusive ? '>=' : '>', a, upperInclusive ? '<=' : '<', b] }] });
          const expected = (lowerInclusive ? value >= a : value > a) && (upperInclusive ? value <= b : value < b);
          expect(matchesEventPattern(pattern, { n: value })).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a wildcard made by cutting pieces out of a text matches that text', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 5 })
          .filter((pieces) => pieces.slice(1, -1).every((piece) => piece.length > 0)),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
        (pieces, cutOut) => {
          const text = pieces.map((piece, index) => piece + (index < pieces.length - 1 ? (cutOut[index] ?? '') : '')).join('');
          const pattern = parseEventPattern({ s: [{ wildcard: pieces.map(escapeGlobText).join('*') }] });
          expect(matchesEventPattern(pattern, { s: text })).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('wildcard matching agrees with a regular-expression reference', () => {
    const small = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(small, { minLength: 1, maxLength: 4 }), small, (literals, text) => {
        const reference = new RegExp(`^${literals.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
        expect(matchGlob({ literals }, text)).toBe(reference.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('equals-ignore-case matches every casing of a text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', 'c', 'D', '-', '1') }), fc.array(fc.boolean()), (text, upper) => {
        const recased = [...text].map((character, index) => (upper[index] ? character.toUpperCase() : character.toLowerCase())).join('');
        expect(matchesEventPattern(parseEventPattern({ s: [{ 'equals-ignore-case': text }] }), { s: recased })).toBe(true);
        expect(matchesEventPattern(parseEventPattern({ s: [{ 'anything-but': { 'equals-ignore-case': text } }] }), { s: recased })).toBe(
          false,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('anything-but a list matches exactly the values outside the list', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 3 }), (excluded, value) => {
        const pattern = parseEventPattern({ s: [{ 'anything-but': excluded }] });
        expect(matchesEventPattern(pattern, { s: value })).toBe(!excluded.includes(value));
      }),
      { numRuns: 1000 },
    );
  });
});
