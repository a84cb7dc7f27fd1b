/**
 * A service bound to a restored table (`restoredTables` context, restored-tables.ts): its stack
 * declares no table of its own, and everything that named the table (the functions' TABLE_NAME,
 * their IAM, the outbox pipe's source, the backup selection) names the restored one instead.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parseRestoredTables } from '../../restored-tables';
import { resourcesOf, synthesiseWithoutBundling } from './support';

const DOMAIN = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};
const RESTORED = {
  tableName: 'fsp-prod-cases-r20261203',
  streamArn: 'arn:aws:dynamodb:eu-west-2:123456789012:table/fsp-prod-cases-r20261203/stream/2026-12-03T04:05:18.123',
};

let manifests: ResolvedManifest[];
beforeAll(async () => {
  manifests = (await loadServiceManifests()).filter((manifest) => ['cases', 'referrals'].includes(manifest.name));
});

describe('the restoredTables context value', () => {
  const services = ['cases', 'referrals'];

  test('absent, no service is bound to a restored table', () => {
    expect(parseRestoredTables(undefined, 'prod', services).size).toBe(0);
    expect(parseRestoredTables('', 'prod', services).size).toBe(0);
  });

  test('as JSON text (what -c passes) or as an object (cdk.json)', () => {
    expect(parseRestoredTables(JSON.stringify({ prod: { cases: RESTORED } }), 'prod', services).get('cases')).toEqual(RESTORED);
    expect(parseRestoredTables({ prod: { cases: RESTORED } }, 'prod', services).get('cases')).toEqual(RESTORED);
  });

  test("only the synthesized stage's bindings are used, and every stage's are checked", () => {
    expect(parseRestoredTables({ prod: { cases: RESTORED } }, 'staging', services).size).toBe(0);
    expect(() => parseRestoredTables({ prod: { cases: RESTORED }, staging: { nosuch: RESTORED } }, 'prod', services)).toThrow(
      /^restoredTables\.staging\.nosuch: no service/,
    );
  });

  test('anything wrong is refused, naming the key', () => {
    expect(() => parseRestoredTables('{cases:', 'prod', services)).toThrow(/^restoredTables must be a JSON object/);
    expect(() => parseRestoredTables({ production: { cases: RESTORED } }, 'prod', services)).toThrow(
      /^restoredTables\.production: not a stage/,
    );
    expect(() => parseRestoredTables({ prod: { nosuch: RESTORED } }, 'prod', services)).toThrow(
      /^restoredTables\.prod\.nosuch: no service is named nosuch/,
    );
    expect(() => parseRestoredTables({ prod: { cases: { tableName: RESTORED.tableName } } }, 'prod', services)).toThrow(
      /restoredTables\.prod\.cases\.streamArn/,
    );
    expect(() => parseRestoredTables({ staging: { cases: RESTORED } }, 'prod', services)).toThrow(
      /^restoredTables\.staging\.cases\.tableName must start fsp-staging-cases- /,
    );
    const tooLong = `fsp-prod-cases-${'r'.repeat(36)}`;
    expect(() =>
      parseRestoredTables(
        {
          prod: {
            cases: {
              tableName: tooLong,
              streamArn: `arn:aws:dynamodb:eu-west-2:123456789012:table/${tooLong}/stream/2026-12-03T04:05:18.123`,
            },
          },
        },
        'prod',
        services,
      ),
    ).toThrow(/at most 50 letters/);
    expect(() =>
      parseRestoredTables(
        { prod: { cases: { ...RESTORED, streamArn: RESTORED.streamArn.replace('r20261203', 'other') } } },
        'prod',
        services,
      ),
    ).toThrow(/^restoredTables\.prod\.cases\.streamArn must be the stream ARN of table fsp-prod-cases-r20261203/);
  });
});

describe('a service bound to its restored table', () => {
  let cases: Template;
  let referrals: Template;
  beforeAll(() => {
    const synthesised = synthesiseWithoutBundling(manifests, {
      stage: 'prod',
      domain: DOMAIN,
      restoredTables: { prod: { cases: RESTORED } },
    });
    cases = synthesised.templateOf('cases');
    referrals = synthesised.templateOf('referrals');
  });

  const restoredTableArn = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':dynamodb:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:table/${RESTORED.tableName}`,
      ],
    ],
  };

  test('declares no table: the one it had leaves the stack (kept in the account by its RETAIN policy)', () => {
    cases.resourceCountIs('AWS::DynamoDB::Table', 0);
    referrals.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  test("every function's TABLE_NAME is the restored table", () => {
    const functions = resourcesOf(cases, 'AWS::Lambda::Function').filter(
      ([, fn]) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.TABLE_NAME !== undefined,
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.TABLE_NAME).toBe(RESTORED.tableName);
    }
  });

  test('IAM names the restored table, the pipe reads its stream, and the backup plan selects it', () => {
    const statements = resourcesOf(cases, 'AWS::IAM::Policy').flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Array<{ Sid?: string; Resource: unknown }> }).Statement,
    );
    const ownTableWrites = statements.filter((statement) => statement.Sid === 'OwnTableWrites');
    expect(ownTableWrites.length).toBeGreaterThan(0);
    for (const statement of ownTableWrites) expect(statement.Resource).toEqual(restoredTableArn);
    // A new pipe under the restore's name (a pipe's source cannot change in place); the service's log group stays.
    cases.hasResourceProperties('AWS::Pipes::Pipe', { Name: 'fsp-prod-cases-outbox-r20261203', Source: RESTORED.streamArn });
    cases.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/pipes/fsp-prod-cases-outbox' });
    referrals.hasResourceProperties('AWS::Pipes::Pipe', { Name: 'fsp-prod-referrals-outbox' });
    const streamReads = statements.filter((statement) => statement.Sid === 'ReadOwnTableStream');
    expect(streamReads).toEqual([expect.objectContaining({ Resource: RESTORED.streamArn })]);
    cases.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ SelectionName: RESTORED.tableName, Resources: [restoredTableArn] }),
    });
  });
});
