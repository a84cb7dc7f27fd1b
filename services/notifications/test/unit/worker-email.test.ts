/**
 * Workers' email, rendered (src/domain/worker-email.ts): the digest's order (urgent first, then by
 * case), what the subject may say (never a case, never a name), that nothing beyond the items'
 * titles, references and links reaches the body, and when a failed email is tried again.
 */
import fc from 'fast-check';
import { NOTIFICATION_ID_PATTERN } from '../../src/domain/notification';
import {
  digestSections,
  emailFailedDraft,
  MAX_ATTEMPTS,
  type MailItem,
  retryAfter,
  workerEmailOf,
  workerEmailSubject,
} from '../../src/domain/worker-email';
import { groupIntoMails } from '../../src/store/worker-mail-store';

const ORIGIN = 'https://fsp.example.gov.uk';

const item = (notificationId: string, reference: string | undefined, urgent: boolean, createdAt: string): MailItem => ({
  notificationId,
  title: `Item ${notificationId}`,
  link: `/cases/${notificationId}`,
  reference,
  urgent,
  createdAt,
});

describe('the digest’s order', () => {
  it('urgent items first; within each, cases by reference (items about no case last), each case’s items oldest first', () => {
    const sections = digestSections([
      item('a', 'FSP-2026-000300', false, '2026-01-05T09:00:00.000Z'),
      item('b', undefined, true, '2026-01-05T08:00:00.000Z'),
      item('c', 'FSP-2026-000100', true, '2026-01-05T12:00:00.000Z'),
      item('d', 'FSP-2026-000100', true, '2026-01-05T07:00:00.000Z'),
      item('e', 'FSP-2026-000200', true, '2026-01-05T10:00:00.000Z'),
      item('f', 'FSP-2026-000300', false, '2026-01-05T08:00:00.000Z'),
    ]);
    const shape = (groups: typeof sections.urgent) => groups.map((group) => [group.reference, group.items.map((i) => i.notificationId)]);
    expect(shape(sections.urgent)).toEqual([
      ['FSP-2026-000100', ['d', 'c']],
      ['FSP-2026-000200', ['e']],
      [undefined, ['b']],
    ]);
    expect(shape(sections.other)).toEqual([['FSP-2026-000300', ['f', 'a']]]);
  });

  it('keeps every item exactly once, whatever the order given', () => {
    const arbitraryItem = fc.record({
      notificationId: fc.uuid(),
      title: fc.string(),
      link: fc.constant('/inbox'),
      reference: fc.option(fc.constantFrom('FSP-2026-000001', 'FSP-2026-000002'), { nil: undefined }),
      urgent: fc.boolean(),
      createdAt: fc.date({ min: new Date('2026-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
    });
    fc.assert(
      fc.property(fc.array(arbitraryItem, { maxLength: 30 }), (items) => {
        const { urgent, other } = digestSections(items);
        const ids = [...urgent, ...other].flatMap((group) => group.items.map((i) => i.notificationId));
        expect(ids.sort()).toEqual(items.map((i) => i.notificationId).sort());
        expect(urgent.every((group) => group.items.every((i) => i.urgent))).toBe(true);
        expect(other.every((group) => group.items.every((i) => !i.urgent))).toBe(true);
      }),
    );
  });
});

describe('what an email may say', () => {
  /** Anything a family member could be called: the domain must never put it in an email unless a title (by contract, references only) carries it. */
  const name = fc.stringMatching(/^[A-Z][a-z]{2,12} [A-Z][a-z]{2,12}$/);
  const reference = fc.integer({ min: 1, max: 999_999 }).map((n) => `FSP-2026-${String(n).padStart(6, '0')}`);
  const titled = fc.record({
    notificationId: fc.uuid(),
    reference: fc.option(reference, { nil: undefined }),
    urgent: fc.boolean(),
    createdAt: fc.constant('2026-01-05T09:00:00.000Z'),
    kind: fc.constantFrom('allocated to you', 'supervision overdue', 'decision due today'),
  });

  it('holds the titles, references and absolute links, and no name from anywhere else; the subject names no case at all', () => {
    fc.assert(
      fc.property(
        name,
        fc.constantFrom('immediate' as const, 'digest' as const),
        fc.array(titled, { minLength: 1, maxLength: 12 }),
        (who, mode, raw) => {
          const items: MailItem[] = raw.map((r) => ({
            notificationId: r.notificationId,
            title: r.reference ? `Case ${r.reference}: ${r.kind}` : `Referral: ${r.kind}`,
            link: `/cases/${r.notificationId}`,
            reference: r.reference,
            urgent: r.urgent,
            createdAt: r.createdAt,
          }));
          // The recipient's own name and address are the only personal words the caller has: neither is written in.
          const address = `${who.toLowerCase().replace(' ', '.')}@example.gov.uk`;
          const email = workerEmailOf(address, mode, mode === 'immediate' ? items.slice(0, 1) : items, ORIGIN);
          const whole = [email.subject, email.text, email.html].join('\n');
          expect(whole).not.toContain(who);
          expect(whole.split(address).length).toBe(1);
          expect(email.to).toBe(address);
          expect(email.subject).toMatch(
            /^Family Safeguarding: (an urgent item in your inbox|a new item in your inbox|your daily summary \(\d+ items?(, \d+ urgent)?\))$/,
          );
          // Every capitalised word pair in the text is one the template or a title put there.
          const allowed = new Set(['Family Safeguarding', 'Safeguarding Platform']);
          for (const pair of email.text.match(/\b[A-Z][a-z]+ [A-Z][a-z]+\b/g) ?? []) expect(allowed).toContain(pair);
          for (const shown of mode === 'immediate' ? items.slice(0, 1) : items) {
            expect(email.text).toContain(shown.title);
            expect(email.text).toContain(`${ORIGIN}${shown.link}`);
          }
          expect(email.text).toContain(`${ORIGIN}/inbox/preferences`);
        },
      ),
    );
  });

  it('escapes what it quotes in the HTML', () => {
    const email = workerEmailOf(
      'a@example.gov.uk',
      'immediate',
      [{ ...item('x', undefined, false, '2026-01-05T09:00:00.000Z'), title: '<b>&"' }],
      ORIGIN,
    );
    expect(email.html).toContain('&lt;b&gt;&amp;&quot;');
    expect(email.html).not.toContain('<b>&"');
  });

  it('the subject counts the digest’s items and its urgent ones', () => {
    const items = [item('a', undefined, true, '2026-01-05T09:00:00.000Z'), item('b', undefined, false, '2026-01-05T09:00:00.000Z')];
    expect(workerEmailSubject('digest', items)).toBe('Family Safeguarding: your daily summary (2 items, 1 urgent)');
    expect(workerEmailSubject('digest', items.slice(1))).toBe('Family Safeguarding: your daily summary (1 item)');
    expect(workerEmailSubject('immediate', items.slice(0, 1))).toBe('Family Safeguarding: an urgent item in your inbox');
  });
});

describe('retries', () => {
  it('after 1, 5, 30 and 120 minutes; then none', () => {
    const now = new Date('2026-01-05T09:00:00.000Z');
    const waits = [1, 2, 3, 4, 5].map((attempts) => retryAfter(attempts, now)?.toISOString());
    expect(waits).toEqual([
      '2026-01-05T09:01:00.000Z',
      '2026-01-05T09:05:00.000Z',
      '2026-01-05T09:30:00.000Z',
      '2026-01-05T11:00:00.000Z',
      undefined,
    ]);
    expect(MAX_ATTEMPTS).toBe(5);
  });

  it('a failed email is one inbox item in the worker’s own mailbox, the same however often it is drafted', () => {
    const mail = { mailId: '0123456789abcdef0123456789abcdef', userId: 'u-1', mode: 'digest' as const };
    const draft = emailFailedDraft(mail, new Date('2026-01-05T11:00:00.000Z'));
    expect(draft).toMatchObject({ mailbox: 'user:u-1', kind: 'email-failed', link: '/inbox', channel: 'inbox' });
    expect(draft.notificationId).toMatch(NOTIFICATION_ID_PATTERN);
    expect(emailFailedDraft(mail, new Date('2026-01-05T11:00:00.000Z'))).toEqual(draft);
  });
});

describe('gathering into mails', () => {
  const intent = (notificationId: string, userId: string, mode: 'immediate' | 'digest', sendAt: string) => ({
    notificationId,
    userId,
    mode,
    sendAt,
    kind: 'case-allocated' as const,
    title: 't',
    link: '/inbox',
    urgent: false,
    createdAt: '2026-01-05T09:00:00.000Z',
  });

  it('one mail per immediate intent; one per recipient and digest moment; the same mails whatever the order', () => {
    const intents = [
      intent('1', 'u-a', 'immediate', '2026-01-05T09:00:00.000Z'),
      intent('2', 'u-a', 'immediate', '2026-01-05T09:00:00.000Z'),
      intent('3', 'u-a', 'digest', '2026-01-06T08:00:00.000Z'),
      intent('4', 'u-a', 'digest', '2026-01-06T08:00:00.000Z'),
      intent('5', 'u-b', 'digest', '2026-01-06T08:00:00.000Z'),
      intent('6', 'u-a', 'digest', '2026-01-07T08:00:00.000Z'),
    ];
    const mails = groupIntoMails(intents);
    expect(mails.map((mail) => mail.intents.map((i) => i.notificationId))).toEqual([['1'], ['2'], ['3', '4'], ['5'], ['6']]);
    const reversed = groupIntoMails([...intents].reverse());
    expect(new Set(reversed.map((mail) => mail.mailId))).toEqual(new Set(mails.map((mail) => mail.mailId)));
  });
});
