/**
 * The known-family index's keyed hashes (ADR 0021): stable per (key version, match key), different
 * under another key or version, shared by identities that normalise alike; and comparing by hashes
 * decides exactly what comparing the identities decides.
 */
import {
  generateKeyringSecrets,
  hashKeyOf,
  keyedHash,
  keyringFromEnvironment,
  keyringOf,
  newKeySecret,
  parseKeyringSecrets,
  retireKeyringSecret,
  rotateKeyringSecrets,
} from '@fsp/shared/keyed-hash';
import fc from 'fast-check';
import { childMatchKeysOf, compareChildren, compareMatchKeys, normaliseChild } from '../../src/domain/known-family';
import type { ReferralChild } from '../../src/domain/referral';
import { hashedMatchKeysOf } from '../../src/store/family-index-store';

const RUNS = { numRuns: 1_000 };

const secret = fc.string({ minLength: 32, maxLength: 64 });
const version = fc.integer({ min: 1, max: 9_999 });
const text = fc.string({ unit: 'grapheme', maxLength: 60 });

const letters = 'abcdefghijklmnopqrstuvwxyzéöøßł'.split('');
const word = fc
  .array(fc.constantFrom(...letters), { minLength: 2, maxLength: 8 })
  .map((chars) => chars.join(''))
  .filter((w) => !['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'sir', 'rev', 'lady', 'lord', 'dame', 'prof', 'master'].includes(w));
const date = fc.constantFrom('2018-03-14', '2018-03-15', '2020-05-01');
const postcode = fc.constantFrom('NT1 4AB', 'nt14ab', 'SW1A 1AA');
interface Identity {
  firstName: string;
  lastName: string;
  unborn: boolean;
  dateOfBirth?: string | undefined;
  postcode?: string | undefined;
}
const identity: fc.Arbitrary<Identity> = fc.record({
  firstName: word,
  lastName: word,
  unborn: fc.boolean(),
  dateOfBirth: fc.option(date, { nil: undefined }),
  postcode: fc.option(postcode, { nil: undefined }),
});

const referralChild = (child: Identity, childId = 'child-1'): ReferralChild =>
  ({
    childId,
    firstName: child.firstName,
    lastName: child.lastName,
    unborn: child.unborn,
    ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
    ...(child.postcode ? { address: { line1: '1 Elm Road', town: 'Northtown', postcode: child.postcode } } : {}),
  }) as ReferralChild;

/** The same identity as another referrer might write it: case, accents, separators and a title changed. */
const rewritten = (child: Identity) =>
  fc.record({
    firstName: fc.constantFrom(child.firstName.toUpperCase(), ` ${child.firstName} `, `Miss ${child.firstName}`),
    lastName: fc.constantFrom(child.lastName.toUpperCase(), `${child.lastName.slice(0, 1)}-${child.lastName.slice(1)}`),
    postcode: fc.constantFrom(child.postcode?.toLowerCase(), child.postcode?.replace(' ', '')),
  });

describe('keyedHash', () => {
  it('is stable for a (version, key, text), 43 base64url characters, and never the text itself', () => {
    fc.assert(
      fc.property(version, secret, text, (v, s, t) => {
        const a = keyedHash(hashKeyOf(v, s), t);
        return a === keyedHash(hashKeyOf(v, s), t) && /^[A-Za-z0-9_-]{43}$/.test(a) && a !== t;
      }),
      RUNS,
    );
  });

  it('differs under another key, another version of the same secret, and for another text', () => {
    fc.assert(
      fc.property(version, secret, secret, text, text, (v, s1, s2, t1, t2) => {
        fc.pre(s1 !== s2 && t1 !== t2);
        const hash = keyedHash(hashKeyOf(v, s1), t1);
        return (
          hash !== keyedHash(hashKeyOf(v, s2), t1) &&
          hash !== keyedHash(hashKeyOf(v + 1, s1), t1) &&
          hash !== keyedHash(hashKeyOf(v, s1), t2)
        );
      }),
      RUNS,
    );
  });
});

describe('hashed match keys', () => {
  const key = hashKeyOf(1, newKeySecret());

  it('are shared by identities that normalise alike', () => {
    fc.assert(
      fc.property(
        identity.chain((child) => fc.tuple(fc.constant(child), rewritten(child))),
        ([child, other]) => {
          const again = { ...child, ...other, postcode: child.postcode === undefined ? undefined : other.postcode };
          expect(normaliseChild(again)).toEqual(normaliseChild(child));
          expect(hashedMatchKeysOf(referralChild(again), key)).toEqual(hashedMatchKeysOf(referralChild(child), key));
        },
      ),
      RUNS,
    );
  });

  it('decide what comparing the identities decides, for any two children sharing a match key', () => {
    fc.assert(
      fc.property(identity, identity, fc.boolean(), (a, b, sameName) => {
        const other = sameName ? { ...b, firstName: a.firstName, lastName: a.lastName } : b;
        const plainA = childMatchKeysOf(normaliseChild(a));
        const plainB = childMatchKeysOf(normaliseChild(other));
        const shared = [plainA.nameDob, plainA.namePostcode].some(
          (one) => one !== undefined && (one === plainB.nameDob || one === plainB.namePostcode),
        );
        const expected = compareChildren(normaliseChild(a), normaliseChild(other));
        // A match always shares a key (so the lookup finds it); children sharing none are never compared.
        if (!shared) return expected === undefined;
        const hashed = compareMatchKeys(hashedMatchKeysOf(referralChild(a), key), hashedMatchKeysOf(referralChild(other), key));
        return compareMatchKeys(plainA, plainB) === expected && hashed === expected;
      }),
      { numRuns: 3_000 },
    );
  });

  it('hold nothing of the identity they were made from', () => {
    fc.assert(
      fc.property(identity, (child) => {
        const hashed = hashedMatchKeysOf(referralChild(child), key);
        return Object.values(hashed).every((hash) => /^[A-Za-z0-9_-]{43}$/.test(hash as string));
      }),
      RUNS,
    );
  });
});

describe('the ring of match keys', () => {
  it('rotates to a new current version, keeps the previous active until retired, and cannot retire the current one', () => {
    const first = generateKeyringSecrets();
    const second = rotateKeyringSecrets(first);
    expect(second.current).toBe(2);
    expect(keyringOf(second).active.map((key) => key.version)).toEqual([2, 1]);
    expect(keyringOf(second).active[1]?.key).toEqual(keyringOf(first).current.key);
    const retired = retireKeyringSecret(second, 1);
    expect(keyringOf(retired).active.map((key) => key.version)).toEqual([2]);
    expect(() => retireKeyringSecret(second, 2)).toThrow('key version 2 is the current one');
  });

  it('reads both forms, and names the wrong field without its value', () => {
    const passphrase = 'p'.repeat(40);
    expect(parseKeyringSecrets(JSON.stringify({ version: 3, passphrase }), 'X')).toEqual({ current: 3, keys: { '3': passphrase } });
    expect(() => parseKeyringSecrets('{"current":1,"keys":{"1":"short"}}', 'MATCH_KEYS')).toThrow(
      'MATCH_KEYS is not a usable ring of match keys: keys.1',
    );
    expect(() => parseKeyringSecrets(`{"current":2,"keys":{"1":"${'k'.repeat(40)}"}}`, 'MATCH_KEYS')).toThrow(
      'keys.2 (the current version) is missing',
    );
    expect(() => parseKeyringSecrets('{"version":1,"passphrase":"secret-but-short"}', 'S')).toThrow(/passphrase$/);
    expect(() => parseKeyringSecrets('not json', 'S')).toThrow('S is not JSON');
    const refusal = (() => {
      try {
        parseKeyringSecrets('{"current":1,"keys":{"1":"a-short-secret"}}', 'MATCH_KEYS');
        return 'accepted';
      } catch (error) {
        return String(error);
      }
    })();
    expect(refusal).toContain('keys.1');
    expect(refusal).not.toContain('a-short-secret');
  });

  it('comes from MATCH_KEYS, else the secret, else a ring for the process on the local stage only', async () => {
    const ring = generateKeyringSecrets();
    const inline = await keyringFromEnvironment(undefined, { MATCH_KEYS: JSON.stringify(ring) })();
    expect(inline.current.key).toEqual(keyringOf(ring).current.key);

    const fetched: string[] = [];
    const fromSecret = keyringFromEnvironment(
      async (arn) => {
        fetched.push(arn);
        return JSON.stringify(ring);
      },
      { MATCH_KEYS_SECRET_ARN: 'arn:secret', STAGE: 'prod' },
    );
    await fromSecret();
    await fromSecret();
    expect(fetched).toEqual(['arn:secret']);

    await expect(keyringFromEnvironment(undefined, { MATCH_KEYS_SECRET_ARN: 'arn:secret' })()).rejects.toThrow('passes no fetchSecret');
    await expect(keyringFromEnvironment(undefined, { STAGE: 'prod' })()).rejects.toThrow(
      'MATCH_KEYS or MATCH_KEYS_SECRET_ARN must be set on stage prod',
    );
    const one = await keyringFromEnvironment(undefined, {})();
    const two = await keyringFromEnvironment(undefined, { STAGE: 'local' })();
    expect(two.current.key).toEqual(one.current.key);
  });

  it('reads the secret again after a failed read', async () => {
    let calls = 0;
    const source = keyringFromEnvironment(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('throttled');
        return JSON.stringify(generateKeyringSecrets());
      },
      { MATCH_KEYS_SECRET_ARN: 'arn:secret', STAGE: 'prod' },
    );
    await expect(source()).rejects.toThrow('throttled');
    await expect(source()).resolves.toBeDefined();
    expect(calls).toBe(2);
  });
});
