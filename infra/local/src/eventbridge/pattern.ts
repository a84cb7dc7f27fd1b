/**
 * EventBridge event patterns: validation and matching, as documented in "Amazon EventBridge event
 * patterns" and "Content filtering in Amazon EventBridge event patterns".
 *
 * EventBridge evaluates patterns with the open-source aws/event-ruler library. Validation here walks a
 * pattern in the same order event-ruler's JsonRuleCompiler does, so that the first problem found, and
 * the `Reason:` text reported for it, are the ones AWS reports. AWS appends a Jackson source location
 * (`at [Source: ...; line: 1, column: 9]`) to that reason; this module does not.
 */

export class InvalidEventPatternError extends Error {
  constructor(readonly reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternError';
  }
}

export type JsonLeaf = string | number | boolean | null;
export type JsonValue = JsonLeaf | JsonValue[] | { [key: string]: JsonValue };

/** One condition a leaf value of the event may satisfy. */
export type ValueMatcher =
  | { kind: 'exact'; value: JsonLeaf }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; value: string; glob: Glob }
  | { kind: 'numeric'; lower?: NumericBound; upper?: NumericBound }
  | { kind: 'cidr'; value: string; family: 4 | 6; first: bigint; last: bigint }
  | { kind: 'exists'; exists: boolean }
  | { kind: 'anything-but'; excluded: AnythingButCondition };

export type AnythingButCondition =
  | { kind: 'strings'; values: ReadonlySet<string> }
  | { kind: 'numbers'; values: readonly number[] }
  | { kind: 'equals-ignore-case'; values: ReadonlySet<string> }
  | { kind: 'prefix'; values: readonly string[] }
  | { kind: 'suffix'; values: readonly string[] }
  | { kind: 'wildcard'; globs: readonly Glob[] };

export interface NumericBound {
  /** The bound in millionths: EventBridge compares numbers to six decimal places. */
  micros: number;
  inclusive: boolean;
}

/** A wildcard value split on its unescaped `*`s: the literal text between them. */
export interface Glob {
  literals: readonly string[];
}

/**
 * What a pattern asks of one field: a list of value matchers when the pattern gives it a value list,
 * further fields when it gives it an object, both when two spellings of the pattern do (see
 * `compileObjectInto`).
 */
export interface FieldPattern {
  readonly matchers?: readonly ValueMatcher[];
  readonly node?: PatternNode;
}

export interface PatternNode {
  /** Keyed by field name with no dot in it: `"a.b"` in a pattern is field `b` of field `a`. */
  readonly fields: ReadonlyMap<string, FieldPattern>;
  /** This object's `$or`s (two when two spellings each bring one); one alternative of each must match. */
  readonly anyOf: readonly (readonly PatternNode[])[];
}

export interface EventPattern {
  /** The validated pattern as JSON, a copy independent of the input. */
  readonly json: { readonly [key: string]: JsonValue };
  readonly root: PatternNode;
}

// event-ruler refuses these as field names inside `$or`, where they would be ambiguous with operators.
const RESERVED_FIELD_NAMES_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

const NUMERIC_LIMIT = 5e9;
const MICROS_PER_UNIT = 1_000_000;

export function parseEventPattern(input: string | unknown): EventPattern {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      // JSON.parse only ever throws SyntaxError for a string argument; the message is the useful part.
      throw new InvalidEventPatternError(error instanceof Error ? error.message : String(error));
    }
  } else {
    assertJsonTree(input, '$', new Set());
  }
  if (!isJsonObject(value)) fail('Filter is not an object');
  const root = compileObject(value, false);
  assertWildcardComplexity(root);
  return { json: deepFreeze(structuredClone(value) as { [key: string]: JsonValue }), root };
}

export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesPreparedEvent(pattern, prepareEvent(event));
}

/** An event with its dotted keys joined (joinDottedKeys), once, for a bus to match against each of its rules. */
export interface PreparedEvent {
  readonly joined: unknown;
}

export function prepareEvent(event: unknown): PreparedEvent {
  return { joined: joinDottedKeys(event) };
}

/** `matchesEventPattern` for an event prepared once: matching reads the prepared event and never changes it. */
export function matchesPreparedEvent(pattern: EventPattern, event: PreparedEvent): boolean {
  return matchNode(pattern.root, event.joined);
}

// ---------------------------------------------------------------------------------------------
// Validation and compilation
// ---------------------------------------------------------------------------------------------

function fail(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Patterns given as values (not text) must still be plain JSON, or the JSON EventBridge sees would differ. */
function assertJsonTree(value: unknown, path: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`Pattern is not JSON: ${path} is ${value}`);
    return;
  }
  if (typeof value !== 'object') fail(`Pattern is not JSON: ${path} is a ${typeof value}`);
  if (!Array.isArray(value) && !isJsonObject(value))
    fail(`Pattern is not JSON: ${path} is a ${value.constructor?.name ?? 'exotic object'}`);
  if (ancestors.has(value)) fail(`Pattern is not JSON: ${path} refers back to itself`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      // Sparse arrays have holes JSON cannot express.
      if (!(index in value)) fail(`Pattern is not JSON: ${path}[${index}] is missing`);
      assertJsonTree(value[index], `${path}[${index}]`, ancestors);
    }
  } else {
    for (const [key, child] of Object.entries(value)) assertJsonTree(child, `${path}.${key}`, ancestors);
  }
  ancestors.delete(value);
}

interface NodeBuilder {
  fields: Map<string, { matchers?: ValueMatcher[]; node?: NodeBuilder }>;
  anyOf: PatternNode[][];
}

const newNodeBuilder = (): NodeBuilder => ({ fields: new Map(), anyOf: [] });

function compileObject(object: Record<string, unknown>, insideOr: boolean): PatternNode {
  const builder = newNodeBuilder();
  compileObjectInto(builder, object, insideOr);
  return builder;
}

/**
 * Dots in field names. "Considerations when creating event patterns" in the EventBridge user guide:
 * "Be aware that when EventBridge compiles event patterns for use, it uses dot (.) as the joining
 * character. This means EventBridge will treat the following event patterns as identical:
 * { "detail" : { "state": { "status": [ "running" ] } } } and { "detail" : { "state.status":
 * [ "running" ] } }. And that both event patterns will match the following two events:
 * { "detail" : { "state": { "status": "running" } } } and { "detail" : { "state.status": "running" } }"
 * (with the note "This describes current EventBridge behavior, and should not be relied on to not
 * change"). So a key is split at its dots and each piece nests one level deeper, into the same node
 * as any other spelling of that path: `{"a.b": …}` and `{"a": {"b": …}}` build the one field `a.b`.
 *
 * Two value lists for one joined path: "If multiple patterns are specified for the same JSON field,
 * EventBridge only uses the last one" (the same page); event-ruler's compiler, which keys its rule
 * by the joined name, likewise keeps the list it read last. A value list and an object at one path
 * are different joined names (`a.b` and `a.b.x`) there, so both are kept and both must match.
 * `$or` is recognised only as a whole key: event-ruler reads `"a.$or"` as a field named `a.$or`.
 */
function compileObjectInto(target: NodeBuilder, object: Record<string, unknown>, insideOr: boolean): void {
  const keys = Object.keys(object);
  if (keys.length === 0) fail('Empty objects are not allowed');
  for (const key of keys) {
    const child = object[key];
    if (key === '$or') {
      target.anyOf.push(compileOr(child));
      continue;
    }
    if (insideOr && RESERVED_FIELD_NAMES_IN_OR.has(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (!isJsonObject(child) && !Array.isArray(child)) fail(`"${key}" must be an object or an array`);
    const pieces = key.split('.');
    const last = pieces.pop() ?? key;
    let node = target;
    for (const piece of pieces) {
      const slot = slotOf(node, piece);
      slot.node ??= newNodeBuilder();
      node = slot.node;
    }
    const slot = slotOf(node, last);
    if (Array.isArray(child)) {
      slot.matchers = compileValueList(child);
    } else {
      slot.node ??= newNodeBuilder();
      compileObjectInto(slot.node, child as Record<string, unknown>, insideOr);
    }
  }
}

function slotOf(node: NodeBuilder, name: string): { matchers?: ValueMatcher[]; node?: NodeBuilder } {
  let slot = node.fields.get(name);
  if (slot === undefined) {
    slot = {};
    node.fields.set(name, slot);
  }
  return slot;
}

function compileOr(value: unknown): PatternNode[] {
  if (!Array.isArray(value)) fail('It must be an Array followed with $or.');
  const alternatives: PatternNode[] = [];
  for (const element of value) {
    if (!isJsonObject(element)) fail('Only JSON object is allowed in array of $or relationship.');
    alternatives.push(compileObject(element, true));
  }
  if (alternatives.length < 2) fail('There must have at least 2 Objects in $or relationship.');
  return alternatives;
}

function compileValueList(values: readonly unknown[]): ValueMatcher[] {
  const matchers: ValueMatcher[] = [];
  for (const value of values) {
    if (isJsonObject(value)) {
      matchers.push(compileMatchExpression(value));
    } else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      matchers.push({ kind: 'exact', value });
    } else {
      fail('Match value must be String, number, true, false, or null');
    }
  }
  if (matchers.length === 0) fail('Empty arrays are not allowed');
  return matchers;
}

function compileMatchExpression(expression: Record<string, unknown>): ValueMatcher {
  const [operator, ...extraKeys] = Object.keys(expression);
  if (operator === undefined) fail('Match expression name not found');
  const operand = expression[operator];
  const onlyOneKey = () => {
    if (extraKeys.length > 0) fail('Only one key allowed in match expression');
  };
  // event-ruler reports extra keys after numeric and anything-but expressions with this (odd) wording.
  const noMoreNumericTerms = () => {
    if (extraKeys.length > 0) fail('Too many elements in numeric expression');
  };
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      if (isJsonObject(operand)) {
        const value = compileIgnoreCaseOperand(operand, operator);
        onlyOneKey();
        return { kind: operator, value, ignoreCase: true };
      }
      if (typeof operand !== 'string') fail(`${operator} match pattern must be a string`);
      onlyOneKey();
      return { kind: operator, value: operand, ignoreCase: false };
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') fail('equals-ignore-case match pattern must be a string');
      onlyOneKey();
      return { kind: 'equals-ignore-case', value: operand };
    }
    case 'wildcard': {
      if (typeof operand !== 'string') fail('wildcard match pattern must be a string');
      const glob = parseGlob(operand);
      onlyOneKey();
      return { kind: 'wildcard', value: operand, glob };
    }
    case 'numeric': {
      if (!Array.isArray(operand)) fail('Value of numeric must be an array.');
      const matcher = compileNumeric(operand);
      noMoreNumericTerms();
      return matcher;
    }
    case 'anything-but': {
      const excluded = compileAnythingBut(operand);
      noMoreNumericTerms();
      return { kind: 'anything-but', excluded };
    }
    case 'exists': {
      if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.');
      onlyOneKey();
      return { kind: 'exists', exists: operand };
    }
    case 'cidr': {
      // Sic: event-ruler reuses the prefix wording for a non-string CIDR.
      if (typeof operand !== 'string') fail('prefix match pattern must be a string');
      const matcher = compileCidr(operand);
      onlyOneKey();
      return matcher;
    }
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

function compileIgnoreCaseOperand(operand: Record<string, unknown>, operator: 'prefix' | 'suffix'): string {
  const label = operator === 'prefix' ? 'Prefix' : 'Suffix';
  const [name, ...extraKeys] = Object.keys(operand);
  if (name === undefined) fail(`${label} expression name not found`);
  if (name !== 'equals-ignore-case') fail(`Unsupported ${operator} pattern: ${name}`);
  const value = operand[name];
  if (typeof value !== 'string') fail('equals-ignore-case match pattern must be a string');
  if (extraKeys.length > 0) fail('Only one key allowed in match expression');
  return value;
}

/** How Jackson prints the token event-ruler complains about: numbers and strings as text, `[`/`{` for containers, `]` at the end. */
function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (typeof value === 'object' && value !== null) return '{';
  return String(value);
}

function compileNumeric(terms: readonly unknown[]): ValueMatcher {
  const [operator, operand, secondOperator, secondOperand] = terms;
  if (typeof operator !== 'string') fail(`Invalid member in numeric match: ${tokenText(operator)}`);
  switch (operator) {
    case '=': {
      if (typeof operand !== 'number') fail('Value of equals must be numeric');
      if (terms.length > 2) fail('Too many elements in numeric expression');
      const micros = toMicros(operand);
      return { kind: 'numeric', lower: { micros, inclusive: true }, upper: { micros, inclusive: true } };
    }
    case '<':
    case '<=': {
      if (typeof operand !== 'number') fail(`Value of ${operator} must be numeric`);
      if (terms.length > 2) fail('Too many elements in numeric expression');
      return { kind: 'numeric', upper: oneSidedBound(-NUMERIC_LIMIT, operand, 'upper', operator === '<=') };
    }
    case '>':
    case '>=': {
      if (typeof operand !== 'number') fail(`Value of ${operator} must be numeric`);
      const lowerInclusive = operator === '>=';
      if (terms.length === 2) {
        return { kind: 'numeric', lower: oneSidedBound(operand, NUMERIC_LIMIT, 'lower', lowerInclusive) };
      }
      if (typeof secondOperator !== 'string') fail(`Bad value in numeric range: ${tokenText(secondOperator)}`);
      if (secondOperator !== '<' && secondOperator !== '<=') fail(`Bad numeric range operator: ${secondOperator}`);
      if (typeof secondOperand !== 'number') fail(`Value of ${secondOperator} must be numeric`);
      if (terms.length > 4) fail('Too many terms in numeric range expression');
      if (operand >= secondOperand) fail('Bottom must be less than top');
      return {
        kind: 'numeric',
        lower: { micros: toMicros(operand), inclusive: lowerInclusive },
        upper: { micros: toMicros(secondOperand), inclusive: secondOperator === '<=' },
      };
    }
    default:
      return fail(`Unrecognized numeric range operator: ${operator}`);
  }
}

/** One-sided ranges are ranges up to or down from the ±5e9 limit, so they fail the same way two-sided ones do. */
function oneSidedBound(bottom: number, top: number, side: 'lower' | 'upper', inclusive: boolean): NumericBound {
  if (bottom >= top) fail('Bottom must be less than top');
  return { micros: toMicros(side === 'lower' ? bottom : top), inclusive };
}

/** A pattern number as millionths, refusing what EventBridge cannot compare: beyond ±5e9 or finer than six decimals. */
function toMicros(value: number): number {
  if (decimalPlaces(value) > 6) fail('Only values upto 6 decimals are supported');
  if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) fail('Value must be between -5.0E9 and 5.0E9, inclusive');
  return Math.round(value * MICROS_PER_UNIT);
}

function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const fractionDigits = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fractionDigits - Number(exponent));
}

function compileAnythingBut(operand: unknown): AnythingButCondition {
  if (isJsonObject(operand)) {
    const [variant, ...extraKeys] = Object.keys(operand);
    if (variant === undefined) fail('Anything-But expression name not found');
    if (variant !== 'equals-ignore-case' && variant !== 'prefix' && variant !== 'suffix' && variant !== 'wildcard') {
      fail(`Unsupported anything-but pattern: ${variant}`);
    }
    const values = anythingButVariantValues(operand[variant], variant);
    if (extraKeys.length > 0) fail('Too many elements in numeric expression');
    switch (variant) {
      case 'equals-ignore-case':
        return { kind: 'equals-ignore-case', values: new Set(values.map(foldCase)) };
      case 'prefix':
      case 'suffix':
        return { kind: variant, values };
      case 'wildcard':
        return { kind: 'wildcard', globs: values.map(parseGlob) };
    }
  }
  if (Array.isArray(operand)) {
    const strings: string[] = [];
    const numbers: number[] = [];
    for (const value of operand) {
      if (typeof value === 'string') strings.push(value);
      else if (typeof value === 'number') numbers.push(toMicros(value));
      else fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if (strings.length > 0 === numbers.length > 0) {
      fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return strings.length > 0 ? { kind: 'strings', values: new Set(strings) } : { kind: 'numbers', values: numbers };
  }
  if (typeof operand === 'string') return { kind: 'strings', values: new Set([operand]) };
  if (typeof operand === 'number') return { kind: 'numbers', values: [toMicros(operand)] };
  return fail('Value of anything-but must be an array or single string/number value.');
}

function anythingButVariantValues(operand: unknown, variant: 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard'): string[] {
  const nonStringReason =
    variant === 'equals-ignore-case'
      ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
      : variant === 'wildcard'
        ? 'wildcard match pattern must be a string'
        : 'prefix/suffix match pattern must be a string';
  let values: unknown[];
  if (Array.isArray(operand)) {
    // event-ruler accepts an empty list here and AWS then fails the request internally; refuse it outright.
    if (operand.length === 0) fail('Empty arrays are not allowed');
    values = operand;
  } else if (typeof operand === 'string' || typeof operand === 'number') {
    values = [operand];
  } else {
    return fail('Value of anything-but must be an array or single string/number value.');
  }
  return values.map((value) => {
    if (typeof value !== 'string') fail(nonStringReason);
    if ((variant === 'prefix' || variant === 'suffix') && value === '') fail('Null prefix/suffix not allowed');
    return value;
  });
}

/**
 * Wildcard syntax: `*` matches any run of characters, `\*` and `\\` are a literal `*` and `\`; any other
 * escape, and `**`, are refused. Positions in the messages count UTF-8 bytes of the value wrapped in
 * quotes, as event-ruler counts them.
 */
function parseGlob(value: string): Glob {
  const bytes = Buffer.from(`"${value}"`, 'utf8');
  const literals: string[] = [];
  let current: number[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === 0x2a) {
      if (bytes[index + 1] === 0x2a) fail(`Consecutive wildcard characters at pos ${index}`);
      literals.push(Buffer.from(current).toString('utf8'));
      current = [];
    } else if (byte === 0x5c) {
      const next = bytes[index + 1];
      if (next !== 0x2a && next !== 0x5c) fail(`Invalid escape character at pos ${index}`);
      current.push(next);
      index++;
    } else if (byte !== undefined) {
      current.push(byte);
    }
  }
  literals.push(Buffer.from(current).toString('utf8'));
  // Drop the quotes the positions were counted with.
  const first = literals[0] ?? '';
  const lastIndex = literals.length - 1;
  literals[0] = first.slice(1);
  literals[lastIndex] = (literals[lastIndex] ?? '').slice(0, -1);
  return { literals };
}

/**
 * "Content filtering in Amazon EventBridge event patterns", on wildcards: "There is a limit to how
 * complex a rule using wildcards can be. If a rule is too complex, EventBridge returns an
 * InvalidEventPatternException when attempting to create the rule", with the advice to "Reduce the
 * number of wildcard characters used" and to "Reduce repeating character sequences that occur after
 * a wildcard character". The guide gives no number. EventBridge evaluates patterns with event-ruler,
 * whose MachineComplexityEvaluator measures a field's wildcard values as "the maximum possible number
 * of wildcard rule prefixes that could match a theoretical input value": the most matcher states a
 * value of that field can keep alive at once. That is what is measured here, per field path across
 * the whole pattern, over the quoted value's UTF-8 bytes as event-ruler reads it.
 *
 * The limit itself is not published; 10 is what an independent EventBridge emulator reports the
 * service enforcing, and the reason text is the one AWS is reported to answer with. Neither could be
 * checked against AWS from here. Simple patterns score 1 to 3; `*:*:*:*:*:event-bus/*` scores 7.
 */
export const WILDCARD_COMPLEXITY_LIMIT = 10;
const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';
/** Enough for any pattern under the limit; a pattern whose states take more to explore is refused as too complex. */
const MAX_EXPLORED_STATE_SETS = 20_000;

function assertWildcardComplexity(root: PatternNode): void {
  const globsByPath = new Map<string, Glob[]>();
  const collect = (node: PatternNode, prefix: string) => {
    for (const [name, field] of node.fields) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      for (const matcher of field.matchers ?? []) {
        if (matcher.kind !== 'wildcard') continue;
        const globs = globsByPath.get(path) ?? [];
        globs.push(matcher.glob);
        globsByPath.set(path, globs);
      }
      if (field.node !== undefined) collect(field.node, path);
    }
    for (const alternatives of node.anyOf) for (const alternative of alternatives) collect(alternative, prefix);
  };
  collect(root, '');
  for (const globs of globsByPath.values()) {
    if (wildcardComplexity(globs) > WILDCARD_COMPLEXITY_LIMIT) fail(TOO_COMPLEX);
  }
}

/** A wildcard value as event-ruler matches it: the bytes of `"value"`, and after which of them a `*` may consume anything. */
interface GlobMachine {
  bytes: Buffer;
  /** `loops[i]`: a `*` stands before `bytes[i]` (at `bytes.length`: at the end). */
  loops: boolean[];
}

function globMachine(glob: Glob): GlobMachine {
  const pieces = glob.literals.map((literal) => Buffer.from(literal, 'utf8'));
  const bytes = Buffer.concat([Buffer.from('"'), ...pieces, Buffer.from('"')]);
  const loops = Array<boolean>(bytes.length + 1).fill(false);
  let position = 1;
  for (let index = 0; index < pieces.length; index++) {
    if (index > 0) loops[position] = true;
    position += pieces[index]?.length ?? 0;
  }
  return { bytes, loops };
}

/**
 * The most (wildcard value, position) states that one input can keep alive at once, found by
 * running all the field's wildcard values together over every distinct set of live states an
 * input can reach (one representative for every byte none of them names). A state at a value's end
 * has matched and counts no more.
 */
export function wildcardComplexity(globs: readonly Glob[]): number {
  const machines = globs.map(globMachine);
  const alphabet = new Set<number>([256]);
  for (const machine of machines) for (const byte of machine.bytes) alphabet.add(byte);
  const start = machines.map((_, index) => `${index}:0`);
  const seen = new Set<string>([start.join(' ')]);
  const pending: string[][] = [start];
  let highest = 0;
  while (pending.length > 0) {
    const live = pending.pop() ?? [];
    for (const byte of alphabet) {
      const next = new Set<string>();
      for (const state of live) {
        const [which, at] = state.split(':').map(Number) as [number, number];
        const machine = machines[which];
        if (machine === undefined) continue;
        if (machine.loops[at]) next.add(state);
        if (at < machine.bytes.length && machine.bytes[at] === byte) {
          next.add(`${which}:${at + 1}`);
        }
      }
      if (next.size === 0) continue;
      const counted = [...next].filter((state) => {
        const [which, at] = state.split(':').map(Number) as [number, number];
        return at < (machines[which]?.bytes.length ?? 0);
      }).length;
      if (counted > highest) highest = counted;
      if (highest > WILDCARD_COMPLEXITY_LIMIT) return highest;
      const key = [...next].sort().join(' ');
      if (seen.has(key)) continue;
      if (seen.size >= MAX_EXPLORED_STATE_SETS) return Number.POSITIVE_INFINITY;
      seen.add(key);
      pending.push([...next]);
    }
  }
  return highest;
}

function compileCidr(cidr: string): ValueMatcher {
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has one part, not two.
  const parts = cidr.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) fail("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = parts;
  if (!/^[+-]?\d+$/.test(maskText) || Math.abs(Number(maskText)) > 2 ** 31 - 1) fail('Malformed CIDR, mask bits must be an integer');
  const maskBits = Number(maskText);
  if (maskBits < 0) fail('Malformed CIDR, mask bits must not be negative');
  const parsed = parseIpAddress(address);
  if (parsed === 'invalid') fail(`Invalid IP address: ${address}`);
  if (parsed === 'not-an-ip') fail(`Nonstandard IP address: ${address}`);
  const totalBits = parsed.family === 4 ? 32 : 128;
  // Sic: event-ruler refuses /32 and /128, single addresses being written as plain strings instead.
  if (maskBits > totalBits - 1) fail(`IPv${parsed.family} mask bits must be < ${totalBits}`);
  const hostBits = BigInt(totalBits - maskBits);
  const hostMask = (1n << hostBits) - 1n;
  // Like event-ruler, the range starts at the address as written, host bits and all.
  return { kind: 'cidr', value: cidr, family: parsed.family, first: parsed.value, last: parsed.value | hostMask };
}

type ParsedIp = { family: 4 | 6; value: bigint };

function parseIpAddress(text: string): ParsedIp | 'invalid' | 'not-an-ip' {
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(text)) {
    let value = 0n;
    for (const octet of text.split('.')) {
      const number = Number(octet);
      if (number > 255) return 'invalid';
      value = (value << 8n) | BigInt(number);
    }
    return { family: 4, value };
  }
  if (/^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/.test(text)) {
    const halves = text.split('::');
    if (halves.length > 2) return 'invalid';
    const groupsOf = (half: string | undefined): string[] => (half === undefined || half === '' ? [] : half.split(':'));
    const head = groupsOf(halves[0]);
    const tail = groupsOf(halves[1]);
    const missing = 8 - head.length - tail.length;
    if (halves.length === 1 ? missing !== 0 : missing < 1) return 'invalid';
    const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
    let value = 0n;
    for (const group of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return 'invalid';
      value = (value << 16n) | BigInt(Number.parseInt(group, 16));
    }
    return { family: 6, value };
  }
  return 'not-an-ip';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * An object pattern meets an array by matching one element as a whole, so that fields matched together
 * come from the same element (event-ruler's "array consistency").
 */
function matchNode(node: PatternNode, value: unknown): boolean {
  if (value instanceof SeveralValues) {
    // Only objects and arrays can hold the node's fields; without one, the fields are all missing.
    const holders = value.values.filter((candidate) => isJsonObject(candidate) || Array.isArray(candidate));
    return holders.length === 0 ? matchNodeAt(node, undefined) : holders.some((holder) => matchNode(node, holder));
  }
  if (Array.isArray(value)) {
    const elements = flattenArray(value);
    if (elements.length === 0) return matchNodeAt(node, undefined);
    return elements.some((element) => matchNode(node, element));
  }
  return matchNodeAt(node, value);
}

function matchNodeAt(node: PatternNode, value: unknown): boolean {
  const object = isJsonObject(value) ? value : undefined;
  for (const [name, field] of node.fields) {
    const child = object !== undefined && Object.hasOwn(object, name) ? object[name] : undefined;
    if (field.matchers !== undefined && !matchLeaf(field.matchers, child)) return false;
    if (field.node !== undefined && !matchNode(field.node, child)) return false;
  }
  return node.anyOf.every((alternatives) => alternatives.some((alternative) => matchNodeAt(alternative, value)));
}

/**
 * The values an event holds at one path under two spellings (`{"a.b": 1, "a": {"b": 2}}` holds 1
 * and 2 at `a.b`): like an array's elements each may match, but unlike them they come from no
 * array, so nothing ties fields matched in one of them together.
 */
class SeveralValues {
  constructor(readonly values: readonly unknown[]) {}
}

/**
 * The event with every key that has dots in it split into nested objects (see `compileObjectInto`
 * for AWS's wording), merged with the objects already at those paths. Where a leaf or an array
 * meets another value at one path, both are kept as `SeveralValues`. Approximation: a pattern
 * object matched against such a path takes all its fields from one of those values (the merged
 * object or one array element), where event-ruler, matching flattened paths, could take them from
 * several; only events that spell one path both ways, with an array on it, can tell the difference.
 */
function joinDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(joinDottedKeys);
  if (!isJsonObject(value)) return value;
  const joined: Record<string, unknown> = Object.create(null);
  for (const [key, child] of Object.entries(value)) {
    const [first = key, ...rest] = key.split('.');
    let nested = joinDottedKeys(child);
    for (const piece of rest.reverse()) {
      const wrapper: Record<string, unknown> = Object.create(null);
      wrapper[piece] = nested;
      nested = wrapper;
    }
    joined[first] = Object.hasOwn(joined, first) ? mergeValues(joined[first], nested) : nested;
  }
  return joined;
}

function mergeValues(existing: unknown, added: unknown): unknown {
  if (isJsonObject(existing) && isJsonObject(added)) {
    const merged: Record<string, unknown> = Object.create(null);
    for (const source of [existing, added]) {
      for (const [key, child] of Object.entries(source)) {
        merged[key] = Object.hasOwn(merged, key) ? mergeValues(merged[key], child) : child;
      }
    }
    return merged;
  }
  const values = [existing, added].flatMap((candidate) => (candidate instanceof SeveralValues ? candidate.values : [candidate]));
  // At most one object among them: the others merge into it.
  const objects = values.filter(isJsonObject);
  const others = values.filter((candidate) => !isJsonObject(candidate));
  const object = objects.reduce<unknown>((merged, next) => (merged === undefined ? next : mergeValues(merged, next)), undefined);
  return new SeveralValues(object === undefined ? others : [object, ...others]);
}

function flattenArray(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? flattenArray(value) : [value]));
}

/** The leaf values at a position: an object is not a leaf, and an array contributes each of its leaves. */
function leafValuesOf(value: unknown): JsonLeaf[] {
  if (value instanceof SeveralValues) return value.values.flatMap(leafValuesOf);
  const candidates = Array.isArray(value) ? flattenArray(value) : [value];
  return candidates.filter(
    (candidate): candidate is JsonLeaf =>
      candidate === null || typeof candidate === 'string' || typeof candidate === 'number' || typeof candidate === 'boolean',
  );
}

function matchLeaf(matchers: readonly ValueMatcher[], value: unknown): boolean {
  const leaves = leafValuesOf(value);
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? matcher.exists === leaves.length > 0 : leaves.some((leaf) => matchValue(matcher, leaf)),
  );
}

function foldCase(value: string): string {
  return value.toLowerCase();
}

function matchValue(matcher: Exclude<ValueMatcher, { kind: 'exists' }>, leaf: JsonLeaf): boolean {
  switch (matcher.kind) {
    case 'exact':
      return leaf === matcher.value;
    case 'prefix':
      if (typeof leaf !== 'string') return false;
      return matcher.ignoreCase ? foldCase(leaf).startsWith(foldCase(matcher.value)) : leaf.startsWith(matcher.value);
    case 'suffix':
      if (typeof leaf !== 'string') return false;
      return matcher.ignoreCase ? foldCase(leaf).endsWith(foldCase(matcher.value)) : leaf.endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && foldCase(leaf) === foldCase(matcher.value);
    case 'wildcard':
      return typeof leaf === 'string' && matchGlob(matcher.glob, leaf);
    case 'numeric':
      return typeof leaf === 'number' && matchNumeric(matcher, leaf);
    case 'cidr':
      return typeof leaf === 'string' && matchCidr(matcher, leaf);
    case 'anything-but':
      return !isExcluded(matcher.excluded, leaf);
  }
}

function eventMicros(value: number): number | undefined {
  if (value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) return undefined;
  return Math.round(value * MICROS_PER_UNIT);
}

function matchNumeric(matcher: { lower?: NumericBound; upper?: NumericBound }, value: number): boolean {
  const micros = eventMicros(value);
  if (micros === undefined) return false;
  const { lower, upper } = matcher;
  if (lower !== undefined && (lower.inclusive ? micros < lower.micros : micros <= lower.micros)) return false;
  if (upper !== undefined && (upper.inclusive ? micros > upper.micros : micros >= upper.micros)) return false;
  return true;
}

function matchCidr(matcher: { family: 4 | 6; first: bigint; last: bigint }, leaf: string): boolean {
  const address = parseIpAddress(leaf);
  if (typeof address === 'string' || address.family !== matcher.family) return false;
  return address.value >= matcher.first && address.value <= matcher.last;
}

/** Whether anything-but rules this leaf out; a leaf of another type than the excluded values is never ruled out. */
function isExcluded(condition: AnythingButCondition, leaf: JsonLeaf): boolean {
  switch (condition.kind) {
    case 'numbers': {
      if (typeof leaf !== 'number') return false;
      const micros = eventMicros(leaf);
      return micros !== undefined && condition.values.includes(micros);
    }
    case 'strings':
      return typeof leaf === 'string' && condition.values.has(leaf);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && condition.values.has(foldCase(leaf));
    case 'prefix':
      return typeof leaf === 'string' && condition.values.some((prefix) => leaf.startsWith(prefix));
    case 'suffix':
      return typeof leaf === 'string' && condition.values.some((suffix) => leaf.endsWith(suffix));
    case 'wildcard':
      return typeof leaf === 'string' && condition.globs.some((glob) => matchGlob(glob, leaf));
  }
}

/** Glob matching without regular expressions, so no pattern can make matching take exponential time. */
export function matchGlob(glob: Glob, text: string): boolean {
  const { literals } = glob;
  const first = literals[0] ?? '';
  if (literals.length === 1) return text === first;
  const last = literals[literals.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let position = first.length;
  const end = text.length - last.length;
  // Taking each middle literal at its leftmost place leaves the most room for the rest.
  for (let index = 1; index < literals.length - 1; index++) {
    const literal = literals[index] ?? '';
    const found = text.indexOf(literal, position);
    if (found === -1 || found + literal.length > end) return false;
    position = found + literal.length;
  }
  return true;
}
