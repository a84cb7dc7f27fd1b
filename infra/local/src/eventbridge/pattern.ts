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

export type FieldPattern = { kind: 'leaf'; matchers: readonly ValueMatcher[] } | { kind: 'object'; node: PatternNode };

export interface PatternNode {
  fields: ReadonlyMap<string, FieldPattern>;
  /** The alternatives of this object's `$or`, if it has one; at least one must match. */
  anyOf?: readonly PatternNode[];
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
  return { json: deepFreeze(structuredClone(value) as { [key: string]: JsonValue }), root };
}

export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchNode(pattern.root, event);
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

function compileObject(object: Record<string, unknown>, insideOr: boolean): PatternNode {
  const keys = Object.keys(object);
  if (keys.length === 0) fail('Empty objects are not allowed');
  const fields = new Map<string, FieldPattern>();
  let anyOf: PatternNode[] | undefined;
  for (const key of keys) {
    const child = object[key];
    if (key === '$or') {
      anyOf = compileOr(child);
      continue;
    }
    if (insideOr && RESERVED_FIELD_NAMES_IN_OR.has(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (isJsonObject(child)) {
      fields.set(key, { kind: 'object', node: compileObject(child, insideOr) });
    } else if (Array.isArray(child)) {
      fields.set(key, { kind: 'leaf', matchers: compileValueList(child) });
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
  return anyOf === undefined ? { fields } : { fields, anyOf };
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
  if (Array.isArray(value)) {
    const elements = flattenArray(value);
    if (elements.length === 0) return matchNodeAt(node, undefined);
    return elements.some((element) => matchNodeAt(node, element));
  }
  return matchNodeAt(node, value);
}

function matchNodeAt(node: PatternNode, value: unknown): boolean {
  const object = isJsonObject(value) ? value : undefined;
  for (const [name, field] of node.fields) {
    const child = object !== undefined && Object.hasOwn(object, name) ? object[name] : undefined;
    const matched = field.kind === 'leaf' ? matchLeaf(field.matchers, child) : matchNode(field.node, child);
    if (!matched) return false;
  }
  return node.anyOf === undefined || node.anyOf.some((alternative) => matchNodeAt(alternative, value));
}

function flattenArray(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? flattenArray(value) : [value]));
}

/** The leaf values at a position: an object is not a leaf, and an array contributes each of its leaves. */
function leafValuesOf(value: unknown): JsonLeaf[] {
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
