/**
 * Is the current schema of a published event version still readable by its consumers? A
 * consumer written against the published schema relies on every field it saw keeping its type
 * and requiredness, and events already in flight (queues, DLQs awaiting redrive) were written
 * without any field added since. So, for every property at every depth:
 * - removing it, changing its type, format, enum or const, or changing whether it is required, breaks;
 * - adding a property breaks only if it is required.
 * Constraints such as lengths and patterns are not compared: tightening one is a judgement call
 * for review, not something this check can decide.
 */
import type { JsonSchema } from './json-schema';

export interface BreakingChange {
  /** JSON path of the property, `$.data.children[].childId`. */
  path: string;
  problem: string;
}

const asSchema = (value: unknown): JsonSchema | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : undefined;

function typeSignature(schema: JsonSchema): string {
  const signature: Record<string, unknown> = {};
  for (const key of ['type', 'format', 'const'] as const) if (key in schema) signature[key] = schema[key];
  if (Array.isArray(schema.enum)) signature.enum = [...schema.enum].map((v) => JSON.stringify(v)).sort();
  if (Array.isArray(schema.type)) signature.type = [...schema.type].sort();
  return JSON.stringify(signature);
}

const requiredOf = (schema: JsonSchema): Set<string> =>
  new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);

function compare(published: JsonSchema, current: JsonSchema, path: string, out: BreakingChange[]): void {
  const before = typeSignature(published);
  const after = typeSignature(current);
  if (before !== after) {
    out.push({ path, problem: `type changed from ${before} to ${after}` });
    return;
  }

  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const oldBranches = published[combinator];
    if (!Array.isArray(oldBranches)) continue;
    const newBranches = current[combinator];
    if (!Array.isArray(newBranches) || newBranches.length !== oldBranches.length) {
      out.push({ path, problem: `${combinator} changed shape` });
      continue;
    }
    oldBranches.forEach((branch, i) => {
      const oldBranch = asSchema(branch);
      const newBranch = asSchema(newBranches[i]);
      if (oldBranch && newBranch) compare(oldBranch, newBranch, `${path}<${combinator}[${i}]>`, out);
    });
  }

  const oldItems = asSchema(published.items);
  if (oldItems) {
    const newItems = asSchema(current.items);
    if (newItems) compare(oldItems, newItems, `${path}[]`, out);
    else out.push({ path: `${path}[]`, problem: 'item schema removed' });
  }

  const oldProps = asSchema(published.properties);
  const newProps = asSchema(current.properties) ?? {};
  if (!oldProps) return;
  const oldRequired = requiredOf(published);
  const newRequired = requiredOf(current);
  for (const [name, oldProp] of Object.entries(oldProps)) {
    const propPath = `${path}.${name}`;
    const newProp = asSchema(newProps[name]);
    if (!newProp) {
      out.push({ path: propPath, problem: 'removed' });
      continue;
    }
    if (oldRequired.has(name) && !newRequired.has(name)) out.push({ path: propPath, problem: 'was required, is now optional' });
    if (!oldRequired.has(name) && newRequired.has(name)) out.push({ path: propPath, problem: 'was optional, is now required' });
    const oldSchema = asSchema(oldProp);
    if (oldSchema) compare(oldSchema, newProp, propPath, out);
  }
  for (const name of Object.keys(newProps)) {
    if (!(name in oldProps) && newRequired.has(name)) {
      out.push({ path: `${path}.${name}`, problem: 'added as required; a new field of a published version must be optional' });
    }
  }
}

export function findBreakingChanges(published: JsonSchema, current: JsonSchema): BreakingChange[] {
  const out: BreakingChange[] = [];
  compare(published, current, '$', out);
  return out;
}

export const describeBreakingChanges = (changes: readonly BreakingChange[]): string =>
  changes.map((c) => `  ${c.path}: ${c.problem}`).join('\n');
