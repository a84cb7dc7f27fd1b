import fc from 'fast-check';
import { decodeCursor, encodeCursor, type InboxCursor, type MailboxPosition } from '../../src/domain/inbox-page';
import { NOTIFICATION_ID_PATTERN } from '../../src/domain/notification';

const notificationId = fc
  .tuple(
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
  )
  .map(([instant, bytes]) => `${instant.toISOString().replace(/[-:.]/g, '')}-${Buffer.from(bytes).toString('hex')}`);

const position: fc.Arbitrary<MailboxPosition> = fc.record({ after: fc.option(notificationId, { nil: null }), done: fc.boolean() });
const cursor: fc.Arbitrary<InboxCursor> = fc.record({ user: position, team: position });

const isValidCursor = (value: InboxCursor) =>
  [value.user, value.team].every((p) => typeof p.done === 'boolean' && (p.after === null || NOTIFICATION_ID_PATTERN.test(p.after)));

/** Ways a cursor gets damaged: a character changed, dropped, added; cut short; base64 of something else. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = { kind: 'replace' | 'delete' | 'insert' | 'truncate'; at: number; char?: string };

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'replace':
      return text.slice(0, at) + (m.char ?? '') + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    case 'insert':
      return text.slice(0, at) + (m.char ?? '') + text.slice(at);
    default:
      return text.slice(0, at);
  }
}

describe('inbox cursor codec', () => {
  it('round-trips every cursor', () => {
    fc.assert(
      fc.property(cursor, (value) => {
        const text = encodeCursor(value);
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(text)).toEqual({ ok: true, cursor: value });
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a damaged cursor, or reads it as a valid position; it never throws', () => {
    fc.assert(
      fc.property(cursor, fc.array(mutation, { minLength: 1, maxLength: 4 }), (value, mutations) => {
        const damaged = mutations.reduce((text, m) => mutate(text, m), encodeCursor(value));
        const decoded = decodeCursor(damaged);
        if (decoded.ok) {
          expect(isValidCursor(decoded.cursor)).toBe(true);
          expect(encodeCursor(decoded.cursor)).toBe(damaged);
        } else {
          expect(decoded.reason).toMatch(/^cursor /);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('never throws on arbitrary text, including base64 of arbitrary JSON', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 600 }),
      fc.json().map((text) => Buffer.from(text).toString('base64url')),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify({ v: 1, user: value, team: value })).toString('base64url')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const decoded = decodeCursor(text);
        if (decoded.ok) expect(isValidCursor(decoded.cursor)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
