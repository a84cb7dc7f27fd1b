/**
 * Audit items are write-once and read only by a declared audit reader (ADR 0014 §7; QUALITY.md,
 * Security 9): every function of every real service (and the fixture) is checked in the
 * synthesized templates, statement by statement and by evaluating requests against its policy
 * with IAM's rules for the operators used (explicit deny wins; an allow needs every condition;
 * `ForAllValues` holds for every value and for none, `ForAnyValue` for at least one; `Null: false`
 * needs the key; `…IfExists` holds when the key is absent; `*` in `StringLike` matches any run).
 */
import type { ServiceManifest } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { tableKeys } from '@fsp/shared/table-keys';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { functionNameOf } from '../../naming';
import { AUDIT_FORBIDDEN_CHANGES, AUDIT_FORBIDDEN_READS, AUDIT_PARTITIONS } from '../../service-stack';
import { grantsByFunction, type SynthesisedApp, synthesiseWithoutBundling } from './support';

type Statement = { Sid?: string; Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: unknown; Condition?: Conditions };
type Conditions = Record<string, Record<string, string | string[]>>;

/**
 * A fixture whose consumer is declared an audit reader, so that both kinds of function are always
 * checked; both declare case partitions and audit puts (ADR 0023), which the requests below use.
 */
const CASE_AND_AUDIT = { read: ['CASE#*'], write: ['CASE#*', 'AUDIT#*'], delete: ['CASE#*'] };
const declaredFixture: ServiceManifest = {
  ...notesManifest,
  name: 'fixture',
  http: notesManifest.http && {
    ...notesManifest.http,
    function: {
      ...notesManifest.http.function,
      permissions: { tableKeys: tableKeys(notesManifest.http.function.permissions?.tableKeys ?? {}, CASE_AND_AUDIT) },
    },
  },
  subscriptions: notesManifest.subscriptions.map((subscription, index) =>
    index === 0
      ? {
          ...subscription,
          function: {
            ...subscription.function,
            permissions: {
              readAudit: true,
              tableKeys: tableKeys(subscription.function.permissions?.tableKeys ?? {}, CASE_AND_AUDIT, { read: ['AUDIT#*'] }),
            },
          },
        }
      : subscription,
  ),
};

let manifests: ResolvedManifest[];
let synthesised: SynthesisedApp;

beforeAll(async () => {
  manifests = [resolveManifest(declaredFixture), ...(await loadServiceManifests())];
  synthesised = synthesiseWithoutBundling(manifests);
});

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

/** Every function with its DynamoDB statements and whether its manifest entry declares it an audit reader. */
function functionsWithTableGrants(service?: string) {
  return manifests
    .filter((manifest) => service === undefined || manifest.name === service)
    .flatMap((manifest) => {
      const grants = grantsByFunction(synthesised.templateOf(manifest.name), 'dynamodb:');
      return manifest.functions.map((fn) => {
        const name = functionNameOf('dev', manifest.name, fn.name);
        return { name, readAudit: fn.permissions.readAudit === true, statements: (grants.get(name) ?? []) as Statement[] };
      });
    });
}

// --- a small evaluator of the IAM condition operators these policies use --------------------------

interface Request {
  action: string;
  /** The partition keys the request names (`dynamodb:LeadingKeys`); absent for a request that names none. */
  leadingKeys?: string[];
  returnValues?: string;
}

const glob = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);

function contextValues(request: Request, key: string): string[] | undefined {
  if (key === 'dynamodb:LeadingKeys') return request.leadingKeys;
  if (key === 'dynamodb:ReturnValues') return request.returnValues === undefined ? undefined : [request.returnValues];
  throw new Error(`the evaluator does not know condition key ${key}`);
}

function conditionHolds(operator: string, key: string, expected: string[], request: Request): boolean {
  const values = contextValues(request, key);
  if (operator === 'Null') return expected[0] === 'true' ? values === undefined : values !== undefined;
  const [qualifier, bare] = operator.includes(':') ? (operator.split(':') as [string, string]) : [undefined, operator];
  const ifExists = bare.endsWith('IfExists');
  const base = ifExists ? bare.slice(0, -'IfExists'.length) : bare;
  const matches = (value: string): boolean => {
    if (base === 'StringLike') return expected.some((pattern) => glob(pattern, value));
    if (base === 'StringNotLike') return !expected.some((pattern) => glob(pattern, value));
    if (base === 'StringEquals') return expected.includes(value);
    throw new Error(`the evaluator does not know operator ${operator}`);
  };
  if (qualifier === 'ForAllValues') return (values ?? []).every(matches);
  if (qualifier === 'ForAnyValue') return (values ?? []).some(matches);
  if (values === undefined) return ifExists;
  if (values.length !== 1) throw new Error(`${key} is multivalued: ${operator} needs a set operator`);
  return matches(values[0]!);
}

const statementApplies = (statement: Statement, request: Request): boolean =>
  actionsOf(statement).includes(request.action) &&
  Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) =>
      conditionHolds(operator, key, Array.isArray(expected) ? expected : [expected], request),
    ),
  );

function allowed(statements: readonly Statement[], request: Request): boolean {
  const applying = statements.filter((statement) => statementApplies(statement, request));
  return !applying.some((statement) => statement.Effect === 'Deny') && applying.some((statement) => statement.Effect === 'Allow');
}

// --------------------------------------------------------------------------------------------------

const CASE = 'CASE#case-1';
const AUDIT = 'AUDIT#CASE#case-1';
const AUDIT_OF_WORKER = 'AUDIT#USER#user-1';

test('the evaluator reads the operators as IAM documents them', () => {
  const allowOutside: Statement = {
    Effect: 'Allow',
    Action: 'dynamodb:GetItem',
    Resource: '*',
    Condition: { 'ForAllValues:StringNotLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
  };
  // ForAllValues holds for a request with no value at all: why every allow here also says Null: false.
  expect(allowed([allowOutside], { action: 'dynamodb:GetItem' })).toBe(true);
  expect(allowed([allowOutside], { action: 'dynamodb:GetItem', leadingKeys: [CASE, AUDIT] })).toBe(false);
  const denyAny: Statement = {
    ...allowOutside,
    Effect: 'Deny',
    Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
  };
  const allowAll: Statement = { ...allowOutside, Condition: {} };
  expect(allowed([allowAll, denyAny], { action: 'dynamodb:GetItem', leadingKeys: [CASE, AUDIT] })).toBe(false);
  expect(allowed([allowAll, denyAny], { action: 'dynamodb:GetItem', leadingKeys: [CASE] })).toBe(true);
  expect(allowed([allowAll, denyAny], { action: 'dynamodb:GetItem' })).toBe(true);
});

test('the checks below see every function of every service, and both kinds: audit readers and the rest', () => {
  const functions = functionsWithTableGrants();
  expect(functions.length).toBeGreaterThan(10);
  for (const fn of functions) expect({ fn: fn.name, granted: fn.statements.length > 0 }).toEqual({ fn: fn.name, granted: true });
  expect(functions.filter((fn) => fn.readAudit).map((fn) => fn.name)).toContain(functionNameOf('dev', 'fixture', 'on-note-written'));
  expect(functions.filter((fn) => !fn.readAudit).length).toBeGreaterThan(0);
});

test('every allow on table items names its partitions and needs the key present: audit ones only audit partitions, the others excluding them', () => {
  for (const fn of functionsWithTableGrants()) {
    for (const statement of fn.statements.filter((s) => s.Effect === 'Allow')) {
      const condition = statement.Condition ?? {};
      const allowed = [condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat();
      const excluded = condition['ForAllValues:StringNotLike']?.['dynamodb:LeadingKeys'];
      const audit = statement.Sid === 'AuditPuts' || statement.Sid === 'AuditReads';
      expect({ fn: fn.name, sid: statement.Sid, present: condition.Null, some: allowed.length > 0 }).toEqual({
        fn: fn.name,
        sid: statement.Sid,
        present: { 'dynamodb:LeadingKeys': 'false' },
        some: true,
      });
      if (audit)
        expect({ fn: fn.name, sid: statement.Sid, allowed: allowed.filter((p) => !p.startsWith('AUDIT#')) }).toEqual({
          fn: fn.name,
          sid: statement.Sid,
          allowed: [],
        });
      else expect({ fn: fn.name, sid: statement.Sid, excluded }).toEqual({ fn: fn.name, sid: statement.Sid, excluded: [AUDIT_PARTITIONS] });
    }
  }
});

test('no function may update, delete or batch-write an audit item, whatever else allows it: an explicit deny on every one', () => {
  for (const fn of functionsWithTableGrants()) {
    const denies = fn.statements.filter((s) => s.Effect === 'Deny' && s.Sid === 'NoAuditChanges');
    expect({ fn: fn.name, denies: denies.map((s) => ({ actions: actionsOf(s), condition: s.Condition })) }).toEqual({
      fn: fn.name,
      denies: [
        { actions: [...AUDIT_FORBIDDEN_CHANGES], condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_PARTITIONS] } } },
      ],
    });
    // No allow of a change names the audit partitions as allowed.
    for (const statement of fn.statements.filter((s) => s.Effect === 'Allow')) {
      if (!actionsOf(statement).some((action) => (AUDIT_FORBIDDEN_CHANGES as readonly string[]).includes(action))) continue;
      expect({ fn: fn.name, sid: statement.Sid, condition: statement.Condition?.['ForAllValues:StringNotLike'] }).toEqual({
        fn: fn.name,
        sid: statement.Sid,
        condition: { 'dynamodb:LeadingKeys': [AUDIT_PARTITIONS] },
      });
    }
  }
});

test('only a declared audit reader may read audit items; every other function is denied them explicitly', () => {
  for (const fn of functionsWithTableGrants()) {
    const denied = fn.statements.some(
      (s) => s.Effect === 'Deny' && s.Sid === 'NoAuditReads' && AUDIT_FORBIDDEN_READS.every((action) => actionsOf(s).includes(action)),
    );
    const auditReads = fn.statements.filter((s) => s.Effect === 'Allow' && s.Sid === 'AuditReads');
    expect({ fn: fn.name, denied, auditReads: auditReads.length }).toEqual({
      fn: fn.name,
      denied: !fn.readAudit,
      auditReads: fn.readAudit ? 1 : 0,
    });
  }
});

describe('requests, evaluated against each function’s policy', () => {
  const cases: Array<{ what: string; request: Request; reader: boolean; other: boolean }> = [
    { what: 'read a case item', request: { action: 'dynamodb:GetItem', leadingKeys: [CASE] }, reader: true, other: true },
    { what: 'query a case partition', request: { action: 'dynamodb:Query', leadingKeys: [CASE] }, reader: true, other: true },
    { what: 'change a case item', request: { action: 'dynamodb:UpdateItem', leadingKeys: [CASE] }, reader: true, other: true },
    {
      what: 'put a case item, returning the old one',
      request: { action: 'dynamodb:PutItem', leadingKeys: [CASE], returnValues: 'ALL_OLD' },
      reader: true,
      other: true,
    },
    { what: 'put an audit item', request: { action: 'dynamodb:PutItem', leadingKeys: [AUDIT] }, reader: true, other: true },
    {
      what: 'put an audit item, returning nothing',
      request: { action: 'dynamodb:PutItem', leadingKeys: [AUDIT], returnValues: 'NONE' },
      reader: true,
      other: true,
    },
    {
      what: 'put an audit item over another, returning it',
      request: { action: 'dynamodb:PutItem', leadingKeys: [AUDIT], returnValues: 'ALL_OLD' },
      reader: false,
      other: false,
    },
    { what: 'get an audit item', request: { action: 'dynamodb:GetItem', leadingKeys: [AUDIT] }, reader: true, other: false },
    { what: 'query a case’s audit trail', request: { action: 'dynamodb:Query', leadingKeys: [AUDIT] }, reader: true, other: false },
    {
      what: 'query a worker’s audit trail (gsi1)',
      request: { action: 'dynamodb:Query', leadingKeys: [AUDIT_OF_WORKER] },
      reader: true,
      other: false,
    },
    {
      what: 'batch-get a case item with an audit item',
      request: { action: 'dynamodb:BatchGetItem', leadingKeys: [CASE, AUDIT] },
      reader: false,
      other: false,
    },
    {
      what: 'check a condition on an audit item',
      request: { action: 'dynamodb:ConditionCheckItem', leadingKeys: [AUDIT] },
      reader: false,
      other: false,
    },
    { what: 'update an audit item', request: { action: 'dynamodb:UpdateItem', leadingKeys: [AUDIT] }, reader: false, other: false },
    { what: 'delete an audit item', request: { action: 'dynamodb:DeleteItem', leadingKeys: [AUDIT] }, reader: false, other: false },
    {
      what: 'batch-write an audit item',
      request: { action: 'dynamodb:BatchWriteItem', leadingKeys: [CASE, AUDIT] },
      reader: false,
      other: false,
    },
    { what: 'scan', request: { action: 'dynamodb:Scan' }, reader: false, other: false },
    { what: 'query naming no partition', request: { action: 'dynamodb:Query' }, reader: false, other: false },
  ];

  test.each(cases)('$what: audit reader $reader, any other function $other', ({ request, reader, other }) => {
    // The fixture's two functions, which declare the same partitions (CASE_AND_AUDIT) and differ only in readAudit.
    for (const fn of functionsWithTableGrants('fixture')) {
      expect({ fn: fn.name, allowed: allowed(fn.statements, request) }).toEqual({ fn: fn.name, allowed: fn.readAudit ? reader : other });
    }
  });
});
