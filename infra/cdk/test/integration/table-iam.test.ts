/**
 * Each function's table statements are its manifest declaration (`permissions.tableKeys`, ADR 0023)
 * and nothing more, read from the synthesized templates of every real service: reads, writes and
 * deletes each on exactly the declared partition patterns, no action of a kind not declared, no
 * BatchWriteItem or Scan for anyone; and the public form function may read no referral and no
 * agency (QUALITY.md, security 9).
 */
import type { TableKeys } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { tableKeyPatternMatches } from '@fsp/shared/table-keys';
import { functionNameOf } from '../../naming';
import { ITEM_DELETE_ACTIONS, ITEM_READ_ACTIONS, ITEM_WRITE_ACTIONS } from '../../service-stack';
import { grantsByFunction, type SynthesisedApp, synthesiseWithoutBundling } from './support';

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

let manifests: ResolvedManifest[];
let synthesised: SynthesisedApp;

beforeAll(async () => {
  manifests = await loadServiceManifests();
  synthesised = synthesiseWithoutBundling(manifests);
});

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const patternsOf = (statement: Statement): string[] =>
  [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat();

/** Every function with its declaration and its allows on the table. */
function functions() {
  return manifests.flatMap((manifest) => {
    const grants = grantsByFunction(synthesised.templateOf(manifest.name), 'dynamodb:');
    return manifest.functions.map((fn) => ({
      service: manifest.name,
      name: fn.name,
      declared: fn.permissions.tableKeys,
      allows: ((grants.get(functionNameOf('dev', manifest.name, fn.name)) ?? []) as Statement[]).filter((s) => s.Effect === 'Allow'),
    }));
  });
}

/** The patterns a function's allows grant `action` on. */
const grantedFor = (allows: readonly Statement[], action: string): string[] =>
  [...new Set(allows.filter((s) => actionsOf(s).includes(action)).flatMap(patternsOf))].sort();

const sorted = (patterns: readonly string[] | undefined): string[] => [...(patterns ?? [])].sort();

test('every function of every service declares its table partitions', () => {
  const all = functions();
  expect(all.length).toBeGreaterThan(30);
  expect(all.filter((fn) => fn.declared === undefined).map((fn) => `${fn.service}-${fn.name}`)).toEqual([]);
});

test('each kind of action is granted on exactly the partitions declared for it, and no other action on items', () => {
  for (const fn of functions()) {
    const declared: TableKeys = fn.declared ?? {};
    const expectation = (action: string, patterns: readonly string[] | undefined) => ({
      fn: `${fn.service}-${fn.name}`,
      action,
      patterns: sorted(patterns),
    });
    for (const action of ITEM_READ_ACTIONS) {
      // Audit partitions are read with GetItem and Query only, by a declared reader.
      const reads =
        action === 'dynamodb:GetItem' || action === 'dynamodb:Query'
          ? declared.read
          : declared.read?.filter((p) => !p.startsWith('AUDIT#'));
      expect(expectation(action, grantedFor(fn.allows, action))).toEqual(expectation(action, reads));
    }
    expect(expectation('dynamodb:PutItem', grantedFor(fn.allows, 'dynamodb:PutItem'))).toEqual(
      expectation('dynamodb:PutItem', declared.write),
    );
    const updates = declared.write?.filter((p) => !p.startsWith('AUDIT#'));
    expect(expectation('dynamodb:UpdateItem', grantedFor(fn.allows, 'dynamodb:UpdateItem'))).toEqual(
      expectation('dynamodb:UpdateItem', updates),
    );
    for (const action of ITEM_DELETE_ACTIONS) {
      expect(expectation(action, grantedFor(fn.allows, action))).toEqual(expectation(action, declared.delete));
    }
    const known = new Set<string>([...ITEM_READ_ACTIONS, ...ITEM_WRITE_ACTIONS, ...ITEM_DELETE_ACTIONS]);
    const others = fn.allows.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:') && !known.has(action));
    expect({ fn: `${fn.service}-${fn.name}`, others }).toEqual({ fn: `${fn.service}-${fn.name}`, others: [] });
  }
});

test('a function that declares no writes or deletes is granted none', () => {
  const readers = functions().filter((fn) => (fn.declared?.write ?? []).length === 0 && (fn.declared?.delete ?? []).length === 0);
  for (const fn of readers) {
    const writes = fn.allows
      .flatMap(actionsOf)
      .filter((action) => [...ITEM_WRITE_ACTIONS, ...ITEM_DELETE_ACTIONS].includes(action as never));
    expect({ fn: fn.name, writes }).toEqual({ fn: fn.name, writes: [] });
  }
  const deleters = functions().filter((fn) => (fn.declared?.delete ?? []).length === 0);
  expect(deleters.length).toBeGreaterThan(0);
  for (const fn of deleters)
    expect({ fn: fn.name, deletes: grantedFor(fn.allows, 'dynamodb:DeleteItem') }).toEqual({ fn: fn.name, deletes: [] });
});

test('the public form function may read no referral and no agency, and writes only its drafts, the new referral and what goes with it', () => {
  const publicForm = functions().find((fn) => fn.service === 'referrals' && fn.name === 'public');
  if (publicForm === undefined) throw new Error('referrals has no public function');
  for (const action of ITEM_READ_ACTIONS) {
    const patterns = grantedFor(publicForm.allows, action);
    for (const key of [
      'REFERRAL#3f1c',
      'AGENCY#oakfield',
      'AGENCY#oakfield#CHANGES',
      'CLIENT#abc',
      'FAMILY#1#abc',
      'AUDIT#REFERRAL#3f1c',
    ]) {
      expect({ action, key, allowed: patterns.some((pattern) => tableKeyPatternMatches(pattern, key)) }).toEqual({
        action,
        key,
        allowed: false,
      });
    }
  }
  expect(grantedFor(publicForm.allows, 'dynamodb:GetItem')).toEqual(['DRAFT#*']);
  expect(grantedFor(publicForm.allows, 'dynamodb:PutItem')).toEqual(['DRAFT#*', 'FAMILY#*', 'OUTBOX#*', 'REFERENCE#*', 'REFERRAL#*']);
  expect(grantedFor(publicForm.allows, 'dynamodb:DeleteItem')).toEqual([]);
});
