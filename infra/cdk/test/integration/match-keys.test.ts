/**
 * The match keys in AWS (ADR 0021): a KMS key and a Secrets Manager secret of their own in the
 * platform stack, and, for exactly the functions whose manifest entry asks for
 * `permissions.readMatchKeys`, the secret's ARN in `MATCH_KEYS_SECRET_ARN`, `GetSecretValue` on that
 * secret and `kms:Decrypt` on that key through Secrets Manager for that secret. Every real manifest
 * and a fixture are synthesised, so a function that starts hashing is covered when it declares it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyringFromEnvironment, MATCH_KEYS_ENV } from '@fsp/shared/keyed-hash';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { functionNameOf, type Stage } from '../../naming';
import { grantsByFunction, type Resource, resourcesOf, type SynthesisedApp, synthesiseWithoutBundling } from './support';

/** A fixture consumer that hashes, so that the wiring is checked whatever the real services declare. */
const declaredFixture: ServiceManifest = {
  ...notesManifest,
  name: 'fixture',
  subscriptions: notesManifest.subscriptions.map((subscription, index) =>
    index === 0 ? { ...subscription, function: { ...subscription.function, permissions: { readMatchKeys: true } } } : subscription,
  ),
};

/** Prod needs its own domain (stages.ts); any well-formed one will do here. */
const PROD_DOMAIN = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};

let manifests: ResolvedManifest[];
let synthesised: SynthesisedApp;

beforeAll(async () => {
  manifests = [resolveManifest(declaredFixture), ...(await loadServiceManifests())];
  synthesised = synthesiseWithoutBundling(manifests);
  appsByStage.set('dev', synthesised);
});

/** The platform's exports as a service stack imports them: the secret's Ref, the key's Arn. */
const secretImport = { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputRefMatchKeys[0-9A-F]{8}/) };
const keyImport = { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputFnGetAttMatchKeysKey[0-9A-F]{8}Arn/) };

const readMatchKeys = { Sid: 'ReadMatchKeys', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretImport };
const matchKeysDecryption = {
  Sid: 'MatchKeysDecryption',
  Effect: 'Allow',
  Action: 'kms:Decrypt',
  Resource: keyImport,
  Condition: {
    StringEquals: {
      'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      'kms:EncryptionContext:SecretARN': secretImport,
    },
  },
};

/** The functions whose manifest entry asks for the match keys, by deployed name. */
const hashingFunctions = () =>
  manifests.flatMap((manifest) =>
    manifest.functions.filter((fn) => fn.permissions.readMatchKeys).map((fn) => functionNameOf('dev', manifest.name, fn.name)),
  );

/** Every statement of every function's role, by function name. */
const everyGrant = () => new Map(synthesised.serviceTemplates().flatMap((template) => [...grantsByFunction(template, '')]));

/** Each stage's app is synthesised once for the tests that read it: a whole app takes seconds. */
const appsByStage = new Map<Stage, SynthesisedApp>();

function matchKeysResources(stage: Stage) {
  const app = appsByStage.get(stage) ?? synthesiseWithoutBundling(manifests, stage === 'prod' ? { stage, domain: PROD_DOMAIN } : { stage });
  appsByStage.set(stage, app);
  const template = Template.fromStack(app.stacks.platform);
  const keys = resourcesOf(template, 'AWS::KMS::Key').filter(([, resource]) =>
    String(resource.Properties.Description).includes('match keys'),
  );
  expect(keys).toHaveLength(1);
  const [[keyId, key]] = keys as [[string, Resource]];
  const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret').filter(
    ([, resource]) => resource.Properties.Name === `fsp/${stage}/referrals/match-keys`,
  );
  return { template, keyId, key, secrets, stacks: app.stacks };
}

describe('the match keys in the platform stack', () => {
  test.each(['dev', 'staging', 'prod'] as const)(
    '%s: a customer-managed key with rotation, kept on deletion, under alias/fsp-<stage>-match-keys',
    (stage) => {
      const { template, keyId, key } = matchKeysResources(stage);
      expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
      // Symmetric encryption, as Secrets Manager needs: CloudFormation's defaults, nothing else named.
      expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
      expect(key.Properties.KeyUsage ?? 'ENCRYPT_DECRYPT').toBe('ENCRYPT_DECRYPT');
      expect(template.toJSON().Resources[keyId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      template.hasResourceProperties('AWS::KMS::Alias', {
        AliasName: `alias/fsp-${stage}-match-keys`,
        TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    },
  );

  test.each([
    ['dev', 'Delete'],
    ['staging', 'Retain'],
    ['prod', 'Retain'],
  ] as const)(
    '%s: one secret fsp/<stage>/referrals/match-keys under that key, generated by CloudFormation, removal %s (stages.ts)',
    (stage, policy) => {
      const { template, keyId, secrets } = matchKeysResources(stage);
      expect(secrets).toHaveLength(1);
      const [[secretId, secret]] = secrets as [[string, Resource]];
      expect(secret.Properties).toEqual({
        Name: `fsp/${stage}/referrals/match-keys`,
        Description: expect.stringContaining('ADR 0021'),
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        GenerateSecretString: {
          SecretStringTemplate: '{"version":1}',
          GenerateStringKey: 'passphrase',
          PasswordLength: 64,
          ExcludePunctuation: true,
          IncludeSpace: false,
        },
        Tags: expect.any(Array),
      });
      expect(template.toJSON().Resources[secretId]).toMatchObject({ DeletionPolicy: policy, UpdateReplacePolicy: policy });
      // Rotation is the re-index sequence of ADR 0021, run by an operator: no rotation schedule, no rotation function.
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      expect(JSON.stringify(template.toJSON())).not.toMatch(/"SecretString"\s*:/);
    },
  );

  test('the value CloudFormation generates is a ring the functions read: version 1, its passphrase the key', async () => {
    const { secrets } = matchKeysResources('dev');
    const generate = secrets[0]![1].Properties.GenerateSecretString as {
      SecretStringTemplate: string;
      GenerateStringKey: string;
      PasswordLength: number;
    };
    // What GenerateSecretString makes: the template with the key set to PasswordLength letters and digits.
    const generated = JSON.stringify({ ...JSON.parse(generate.SecretStringTemplate), [generate.GenerateStringKey]: 'a1B2'.repeat(16) });
    expect(generated).toHaveLength('{"version":1,"passphrase":""}'.length + generate.PasswordLength);
    const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:fsp/dev/referrals/match-keys-AbCdEf';
    const asked: string[] = [];
    const keyring = await keyringFromEnvironment(
      async (secretArn) => {
        asked.push(secretArn);
        return generated;
      },
      { [MATCH_KEYS_ENV.secretArn]: arn, STAGE: 'dev' },
    )();
    expect(asked).toEqual([arn]);
    expect(keyring.current.version).toBe(1);
  });

  test('the two findings of a secret without a rotation schedule are acknowledged on that secret alone, with the reason', () => {
    const { stacks } = matchKeysResources('dev');
    const acknowledged = (construct: Parameters<typeof Validations.of>[0]) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    const onSecret = acknowledged(stacks.platform.matchKeys);
    expect(onSecret.map(([id]) => id.replace(/^.*::/, '')).sort()).toEqual([
      'AwsSolutions-SMG4',
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]);
    for (const [, reason] of onSecret) expect(reason).toContain('ADR 0021');
    expect(acknowledged(stacks.platform.matchKeysKey)).toEqual([]);
  });
});

describe('the functions that hash, and no other', () => {
  test("the real services' hashing functions and the fixture's consumer are the ones asking", () => {
    expect(hashingFunctions().sort()).toEqual(
      [
        functionNameOf('dev', 'fixture', notesManifest.subscriptions[0]!.function.name),
        functionNameOf('dev', 'referrals', 'partner-api'),
        functionNameOf('dev', 'referrals', 'public'),
        functionNameOf('dev', 'referrals', 'on-referral-submitted'),
      ].sort(),
    );
  });

  test("each real hashing function's entry reads the secret (fetchMatchKeysSecret), or the ARN would be useless to it", () => {
    for (const manifest of manifests.filter((each) => each.name !== 'fixture')) {
      for (const fn of manifest.functions.filter((each) => each.permissions.readMatchKeys)) {
        const source = readFileSync(join(manifest.directory, fn.entry), 'utf8');
        expect({ entry: fn.entry, reads: source.includes("from '@fsp/shared/keyed-hash-secret'") }).toEqual({
          entry: fn.entry,
          reads: true,
        });
      }
    }
  });

  test('exactly those functions get MATCH_KEYS_SECRET_ARN, the secret; no function gets MATCH_KEYS', () => {
    let checked = 0;
    for (const template of synthesised.serviceTemplates()) {
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const functionName = fn.Properties.FunctionName as string;
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect({ functionName, arn: variables.MATCH_KEYS_SECRET_ARN, ring: variables.MATCH_KEYS }).toEqual({
          functionName,
          arn: hashingFunctions().includes(functionName) ? secretImport : undefined,
          ring: undefined,
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(hashingFunctions().length);
  });

  test('exactly those functions may read the secret and decrypt with its key, only through Secrets Manager and only for that secret', () => {
    const grants = everyGrant();
    expect(grants.size).toBeGreaterThan(hashingFunctions().length);
    for (const [functionName, statements] of grants) {
      // Any statement naming the match keys' secret or key, whatever its Sid.
      const onMatchKeys = statements.filter((statement) => /ExportsOutput(Ref|FnGetAtt)MatchKeys/.test(JSON.stringify(statement)));
      expect({ functionName, onMatchKeys }).toEqual({
        functionName,
        onMatchKeys: hashingFunctions().includes(functionName) ? [readMatchKeys, matchKeysDecryption] : [],
      });
      // The ring is read, never asked of KMS: no function may make a MAC with any key.
      expect({ functionName, generateMac: JSON.stringify(statements).includes('kms:GenerateMac') }).toEqual({
        functionName,
        generateMac: false,
      });
    }
  });

  test("the public form's function reads no secret but that one, and decrypts through Secrets Manager with no key but its own", () => {
    const publicForm = functionNameOf('dev', 'referrals', 'public');
    const grants = everyGrant().get(publicForm)!;
    expect(grants.filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:'))).toEqual([readMatchKeys]);
    expect(grants.filter((statement) => JSON.stringify(statement.Condition ?? {}).includes('secretsmanager.'))).toEqual([
      matchKeysDecryption,
    ]);
  });
});
