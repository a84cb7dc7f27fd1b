/**
 * The reference a referrer is given at once and reads out on the phone: `FSP-2026-7K3M2N`. The
 * year helps a person place it; six Crockford base-32 characters (no I, L, O, U) cannot be misread
 * as each other and give about a billion values a year. Uniqueness is enforced by the store, which
 * asks for another on the rare collision.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_RANDOM_CHARACTERS = 6;
export const REFERENCE_PATTERN = /^FSP-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$/;

/** `randomBytes` is injected so the domain stays pure; handlers pass `crypto.randomBytes`. */
export function newReference(year: number, randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(REFERENCE_RANDOM_CHARACTERS);
  let suffix = '';
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character equally likely.
  for (const byte of bytes) suffix += CROCKFORD[byte % 32];
  return `FSP-${year}-${suffix}`;
}
