/**
 * The local cloud's match keys (ADR 0021): generated at the first start and kept with its data, so a
 * restart hashes as before; in memory without a data directory; rotated and retired in the file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyedHash, keyringOf } from '@fsp/shared/keyed-hash';
import { LOCAL_MATCH_KEYS_FILE, localKeyringSecrets, retireLocalKey, rotateLocalKeyring } from '@fsp/shared/keyed-hash-local';

let data: string;
beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'fsp-match-keys-'));
});
afterEach(() => {
  rmSync(data, { recursive: true, force: true });
});

const hashWith = (ring: ReturnType<typeof localKeyringSecrets>) => keyedHash(keyringOf(ring).current, 'NAME-DOB#mia|jones#2018-03-14');

it('keeps the ring made at the first start, readable by its owner only, and hashes the same after a restart', () => {
  const first = localKeyringSecrets(data);
  const file = join(data, LOCAL_MATCH_KEYS_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(localKeyringSecrets(data)).toEqual(first);
  expect(hashWith(localKeyringSecrets(data))).toBe(hashWith(first));
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
});

it('makes a new ring each time without a data directory', () => {
  expect(hashWith(localKeyringSecrets())).not.toBe(hashWith(localKeyringSecrets()));
});

it('rotates and retires in the file: the previous key hashes as before until retired', () => {
  const first = localKeyringSecrets(data);
  const rotated = rotateLocalKeyring(data);
  expect(localKeyringSecrets(data)).toEqual(rotated);
  const active = keyringOf(rotated).active;
  expect(active.map((key) => key.version)).toEqual([2, 1]);
  expect(keyedHash(active[1]!, 'NAME-DOB#mia|jones#2018-03-14')).toBe(hashWith(first));
  expect(keyringOf(retireLocalKey(data, 1)).active.map((key) => key.version)).toEqual([2]);
  expect(keyringOf(localKeyringSecrets(data)).active.map((key) => key.version)).toEqual([2]);
  expect(() => retireLocalKey(data, 2)).toThrow('cannot be retired');
});
