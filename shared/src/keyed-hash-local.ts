/**
 * The match keys on a laptop (ADR 0021): generated at the local cloud's first start and kept in its
 * data directory (`match-keys.json`, readable by its owner only), so that a referral sent yesterday
 * still matches today's; without a data directory, in memory for this run. Never in the repository:
 * the file is created where the data is, and tests generate their own ring.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyringSecrets, type KeyringSecrets, parseKeyringSecrets, retireKeyringSecret, rotateKeyringSecrets } from './keyed-hash';

export const LOCAL_MATCH_KEYS_FILE = 'match-keys.json';

const fileOf = (dataDirectory: string) => join(dataDirectory, LOCAL_MATCH_KEYS_FILE);

function write(dataDirectory: string, ring: KeyringSecrets): void {
  mkdirSync(dataDirectory, { recursive: true });
  const file = fileOf(dataDirectory);
  // Written aside and renamed, so a crash never leaves half a ring (and every match lost with it).
  writeFileSync(`${file}.next`, `${JSON.stringify(ring)}\n`, { mode: 0o600 });
  renameSync(`${file}.next`, file);
}

/** The ring kept in `dataDirectory`, created at the first call; a fresh in-memory ring without one. */
export function localKeyringSecrets(dataDirectory?: string): KeyringSecrets {
  if (!dataDirectory) return generateKeyringSecrets();
  const file = fileOf(dataDirectory);
  if (existsSync(file)) return parseKeyringSecrets(readFileSync(file, 'utf8'), file);
  const ring = generateKeyringSecrets();
  write(dataDirectory, ring);
  return ring;
}

/** A new current key in the data directory's ring; functions started after this hash with it. */
export function rotateLocalKeyring(dataDirectory: string): KeyringSecrets {
  const ring = rotateKeyringSecrets(localKeyringSecrets(dataDirectory));
  write(dataDirectory, ring);
  return ring;
}

/** Drops `version` from the data directory's ring (after the re-index moved every hash made with it). */
export function retireLocalKey(dataDirectory: string, version: number): KeyringSecrets {
  const ring = retireKeyringSecret(localKeyringSecrets(dataDirectory), version);
  write(dataDirectory, ring);
  return ring;
}
