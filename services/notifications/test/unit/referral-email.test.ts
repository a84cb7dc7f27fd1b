import { REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { OUTCOME_IN_PLAIN_WORDS, referralDecidedEmail, referralEmailIdOf } from '../../src/domain/referral-email';

const data = referralDecidedV1.fixtures[1]! as never as Parameters<typeof referralDecidedEmail>[0];

describe('the referrer’s email', () => {
  it('tells the outcome in plain words, the reason and the reference, on the London clock', () => {
    const email = referralDecidedEmail(data, { name: 'Jo Bloggs', email: 'jo.bloggs@example.com' });
    expect(email.to).toBe('jo.bloggs@example.com');
    expect(email.subject).toBe('Your referral FSP-2026-000124: our decision');
    expect(email.text).toContain('Dear Jo Bloggs,');
    expect(email.text).toContain(`What happens next: ${OUTCOME_IN_PLAIN_WORDS['early-help']}`);
    expect(email.text).toContain(`Why: ${data.reason}`);
    expect(email.text).toContain('Your reference is FSP-2026-000124');
    expect(email.text).toContain('10am on Monday 12 January 2026');
    expect(email.html).toContain('<strong>FSP-2026-000124</strong>');
  });

  it('has plain words for every outcome, with no code in them', () => {
    for (const outcome of REFERRAL_OUTCOMES) {
      for (const code of REFERRAL_OUTCOMES.filter((candidate) => candidate.includes('-')))
        expect(OUTCOME_IN_PLAIN_WORDS[outcome]).not.toContain(code);
      expect(OUTCOME_IN_PLAIN_WORDS[outcome].length).toBeGreaterThan(20);
    }
  });

  it('escapes what it quotes in the HTML part', () => {
    const email = referralDecidedEmail({ ...data, reason: '<script>alert(1)</script> & more' }, { name: 'A <b>', email: 'a@example.com' });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(email.html).toContain('Dear A &lt;b&gt;,');
  });

  it('has one id per (fact, address), whatever the address’s case', () => {
    expect(referralEmailIdOf('e1', 'Jo@Example.com')).toBe(referralEmailIdOf('e1', 'jo@example.com'));
    expect(referralEmailIdOf('e1', 'jo@example.com')).not.toBe(referralEmailIdOf('e2', 'jo@example.com'));
  });
});
