/**
 * Keyed hashes for personal data that must be looked up by value without being stored as it is
 * (ADR 0021): the known-family index's match keys. HMAC-SHA256 under a versioned key; the version
 * is written next to every hash, so that a key can be rotated while the hashes made with the
 * previous one are still found (writes use the current key, lookups every key of the ring) until
 * a re-index has moved them and the previous key is retired.
 *
 * The port is `KeyringSource`: a function that gives the ring, loaded once per function
 * environment. Where the ring comes from:
 * - `MATCH_KEYS`: the ring itself (the local cloud sets it from its data directory, keyed-hash-local.ts);
 * - `MATCH_KEYS_SECRET_ARN`: a Secrets Manager secret holding it, encrypted under the stage's
 *   customer-managed KMS key, read once per container with the entry's `fetchSecret` (AWS);
 * - neither, on the `local` stage only (a test, a benchmark in one process): a ring generated in
 *   memory for this process. On any other stage the first hash fails naming both variables.
 *
 * The ring's text, `{"current":2,"keys":{"1":"<secret>","2":"<secret>"}}`, or the form
 * CloudFormation can generate for a first key, `{"version":1,"passphrase":"<secret>"}`. Each secret
 * is at least 32 characters of random text; the key is HKDF-SHA256 of it, bound to its version.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { ConfigurationError } from './environment';
import { onFirstUse } from './first-use';

export const MATCH_KEYS_ENV = { keys: 'MATCH_KEYS', secretArn: 'MATCH_KEYS_SECRET_ARN', stage: 'STAGE' } as const;

export interface HashKey {
  /** A positive integer; written with every hash made with this key. */
  version: number;
  key: Uint8Array;
}

export interface Keyring {
  /** What new hashes are made with. */
  current: HashKey;
  /** Every key still in use, the current one first: lookups hash under each. */
  active: readonly HashKey[];
}

export type KeyringSource = () => Promise<Keyring>;

/** Reads a secret's string value by ARN (Secrets Manager in AWS). */
export type SecretFetcher = (arn: string) => Promise<string>;

const SECRET_MIN_LENGTH = 32;
const versionText = z.lazy(() => z.string().check(z.regex(/^[1-9][0-9]{0,5}$/)));
const secretText = z.lazy(() => z.string().check(z.minLength(SECRET_MIN_LENGTH), z.maxLength(4096)));

const ringSchema = z.lazy(() =>
  z.object({
    current: z.int().check(z.minimum(1), z.maximum(999_999)),
    keys: z.record(versionText, secretText),
  }),
);
const generatedSchema = z.lazy(() =>
  z.object({
    version: z.int().check(z.minimum(1), z.maximum(999_999)),
    passphrase: secretText,
  }),
);

/** The key of one version from its secret text. */
export function hashKeyOf(version: number, secret: string): HashKey {
  return { version, key: new Uint8Array(hkdfSync('sha256', secret, 'fsp-match-keys:v1', `fsp:match-key:${version}`, 32)) };
}

/** HMAC-SHA256 of `text` under `key`, base64url: 43 characters, stable for a (key, text). */
export function keyedHash(key: HashKey, text: string): string {
  return createHmac('sha256', key.key).update(text, 'utf8').digest('base64url');
}

/** The ring in its stored form: version → secret text. */
export interface KeyringSecrets {
  current: number;
  keys: Record<string, string>;
}

export const newKeySecret = (): string => randomBytes(32).toString('base64url');

/** A ring of one key, version 1, freshly generated. */
export const generateKeyringSecrets = (): KeyringSecrets => ({ current: 1, keys: { '1': newKeySecret() } });

/** The ring with a new current key, one version above the highest; the others stay active until retired. */
export function rotateKeyringSecrets(ring: KeyringSecrets): KeyringSecrets {
  const next = Math.max(...Object.keys(ring.keys).map(Number)) + 1;
  return { current: next, keys: { ...ring.keys, [String(next)]: newKeySecret() } };
}

/** The ring without `version`, once no hash made with it is stored (after a re-index). The current key cannot retire. */
export function retireKeyringSecret(ring: KeyringSecrets, version: number): KeyringSecrets {
  if (version === ring.current) throw new Error(`key version ${version} is the current one and cannot be retired`);
  const keys = { ...ring.keys };
  delete keys[String(version)];
  return { current: ring.current, keys };
}

export function keyringOf(ring: KeyringSecrets): Keyring {
  const versions = Object.keys(ring.keys)
    .map(Number)
    .sort((a, b) => b - a);
  const active = [ring.current, ...versions.filter((version) => version !== ring.current)].map((version) => {
    const secret = ring.keys[String(version)];
    if (secret === undefined) throw new ConfigurationError(`the match keys name current version ${version} but hold no key for it`);
    return hashKeyOf(version, secret);
  });
  return { current: active[0] as HashKey, active };
}

/**
 * The ring from its text (either form). Throws a ConfigurationError naming `source` and the
 * fields that are wrong, never the values (they are secrets).
 */
export function parseKeyringSecrets(text: string, source: string): KeyringSecrets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new ConfigurationError(`${source} is not JSON`);
  }
  if (typeof json === 'object' && json !== null && 'passphrase' in json) {
    const generated = z.safeParse(generatedSchema, json);
    if (generated.success)
      return { current: generated.data.version, keys: { [String(generated.data.version)]: generated.data.passphrase } };
    throw new ConfigurationError(`${source} is not a usable match key: ${fieldsOf(generated.error)}`);
  }
  const ring = z.safeParse(ringSchema, json);
  if (!ring.success) throw new ConfigurationError(`${source} is not a usable ring of match keys: ${fieldsOf(ring.error)}`);
  if (ring.data.keys[String(ring.data.current)] === undefined)
    throw new ConfigurationError(
      `${source} is not a usable ring of match keys: keys.${ring.data.current} (the current version) is missing`,
    );
  return ring.data;
}

const fieldsOf = (error: core.$ZodError) => error.issues.map((issue) => issue.path.join('.') || '(the value)').join(', ');

/** A source that loads once, and again after a failure (a throttled secret read is not remembered). */
export function cachedKeyring(load: () => Promise<Keyring>): KeyringSource {
  let ring: Promise<Keyring> | undefined;
  return () => {
    ring ??= load().catch((error: unknown) => {
      ring = undefined;
      throw error;
    });
    return ring;
  };
}

/** A fixed ring: tests and the local cloud's tools. */
export const staticKeyring = (ring: KeyringSecrets): KeyringSource => {
  const keyring = keyringOf(ring);
  return () => Promise.resolve(keyring);
};

/** The local stage's ring when none is given: one per process, so that every store of a test or a benchmark shares it. */
const processKeyring = onFirstUse(() => keyringOf(generateKeyringSecrets()));

/** The ring as the function's environment gives it (see the module's comment), loaded on first use. */
export function keyringFromEnvironment(fetchSecret?: SecretFetcher, env: NodeJS.ProcessEnv = process.env): KeyringSource {
  return cachedKeyring(async () => {
    const inline = env[MATCH_KEYS_ENV.keys];
    if (inline) return keyringOf(parseKeyringSecrets(inline, MATCH_KEYS_ENV.keys));
    const arn = env[MATCH_KEYS_ENV.secretArn];
    if (arn) {
      if (!fetchSecret)
        throw new ConfigurationError(`${MATCH_KEYS_ENV.secretArn} is set but the function's entry passes no fetchSecret to read it`);
      return keyringOf(parseKeyringSecrets(await fetchSecret(arn), MATCH_KEYS_ENV.secretArn));
    }
    const stage = env[MATCH_KEYS_ENV.stage] ?? 'local';
    if (stage === 'local') return processKeyring();
    throw new ConfigurationError(
      `The function's environment is not usable: ${MATCH_KEYS_ENV.keys} or ${MATCH_KEYS_ENV.secretArn} must be set on stage ${stage}`,
    );
  });
}
