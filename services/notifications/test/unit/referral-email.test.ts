/**
 * What the web-form referrer is told (DOMAIN.md, Referrals 5, revised): a professional the outcome
 * and the reason; a member of the public only that the referral has been looked at, never a strategy
 * discussion or the police; an anonymous referrer, or a partner agency (told by webhook), no email.
 */
import { REFERRAL_OUTCOMES, type ReferralOutcome } from '@fsp/shared/events/codes';
import type { EventData } from '@fsp/shared/events/define';
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import fc from 'fast-check';
import {
  type EmailMessage,
  OUTCOME_IN_PLAIN_WORDS,
  referralEmailIdOf,
  referrerAudienceOf,
  referrerEmailOf,
} from '../../src/domain/referral-email';

type Data = EventData<typeof referralDecidedV1>;

const publicFixture = referralDecidedV1.fixtures[1]! as Data;
const professionalFixture = referralDecidedV1.fixtures[2]! as Data;
const partnerFixture = referralDecidedV1.fixtures[0]! as Data;

const REASONS: Record<ReferralOutcome, string> = {
  'no-further-action': 'We found no concerns that need children’s social care.',
  'early-help': 'Stepped down to the early help team, who will contact the family this week.',
  assessment: 'Concerns about domestic abuse in the household meet the threshold for a Child and Family assessment.',
  'strategy-discussion': 'The police and health will join a strategy discussion today about the injuries described.',
  'added-to-open-case': 'The family’s social worker has been given your information.',
};

const decided = (outcome: ReferralOutcome, professional: boolean | undefined): Data => ({
  ...publicFixture,
  outcome,
  reason: REASONS[outcome],
  ...(outcome === 'added-to-open-case' ? { caseId: 'case-9' } : {}),
  formReferrer: { name: 'Jo Bloggs', email: 'jo.bloggs@example.com', ...(professional === undefined ? {} : { professional }) },
});

const emailOf = (data: Data): EmailMessage => {
  const email = referrerEmailOf(data);
  if (!email) throw new Error('expected an email');
  return email;
};
/** Everything in the message anyone could read: subject, text and HTML. */
const wholeOf = (email: EmailMessage) => `${email.subject}\n${email.text}\n${email.html}`;

/** What a member of the public may never read: each outcome's code and plain words, the reason, a strategy discussion, the police. */
const undisclosed = (data: Data): string[] => [
  ...REFERRAL_OUTCOMES,
  ...Object.values(OUTCOME_IN_PLAIN_WORDS),
  data.reason,
  'strategy',
  'police',
  'assess',
  'early help',
  'further action',
];

describe('who the referrer is', () => {
  it('is a professional only when the fact says professional: true; false or absent (older facts) is a member of the public', () => {
    expect(referrerAudienceOf({ professional: true })).toBe('professional');
    expect(referrerAudienceOf({ professional: false })).toBe('member-of-the-public');
    expect(referrerAudienceOf({})).toBe('member-of-the-public');
  });
});

describe('a professional form referrer', () => {
  it('is told the outcome in plain words, the reason and the reference, on the London clock', () => {
    const email = emailOf(professionalFixture);
    expect(email.to).toBe('dsl@oakfield.example.sch.uk');
    expect(email.subject).toBe('Your referral FSP-2026-000131: our decision');
    expect(email.text).toContain('Dear Amara Okafor,');
    expect(email.text).toContain(`What happens next: ${OUTCOME_IN_PLAIN_WORDS['strategy-discussion']}`);
    expect(email.text).toContain(`Why: ${professionalFixture.reason}`);
    expect(email.text).toContain('Your reference is FSP-2026-000131');
    expect(email.text).toContain('11:20am on Wednesday 14 January 2026');
    expect(email.html).toContain('<strong>FSP-2026-000131</strong>');
  });

  it.each(REFERRAL_OUTCOMES)('is told %s in its plain words, with the front door’s reason', (outcome) => {
    const email = emailOf(decided(outcome, true));
    expect(email.text).toContain(`What happens next: ${OUTCOME_IN_PLAIN_WORDS[outcome]}`);
    expect(email.text).toContain(`Why: ${REASONS[outcome]}`);
    expect(email.subject).toBe('Your referral FSP-2026-000124: our decision');
  });

  it('has plain words for every outcome, with no code in them', () => {
    for (const outcome of REFERRAL_OUTCOMES) {
      for (const code of REFERRAL_OUTCOMES.filter((candidate) => candidate.includes('-')))
        expect(OUTCOME_IN_PLAIN_WORDS[outcome]).not.toContain(code);
      expect(OUTCOME_IN_PLAIN_WORDS[outcome].length).toBeGreaterThan(20);
    }
  });

  it('escapes what it quotes in the HTML part', () => {
    const email = emailOf({
      ...professionalFixture,
      reason: '<script>alert(1)</script> & more',
      formReferrer: { name: 'A <b>', email: 'a@example.com', professional: true },
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(email.html).toContain('Dear A &lt;b&gt;,');
  });
});

describe('a member of the public', () => {
  it('is told only that the referral has been looked at, and why no more, with the reference', () => {
    const email = emailOf(publicFixture);
    expect(email.to).toBe('jo.bloggs@example.com');
    expect(email.subject).toBe('Your referral FSP-2026-000124 has been looked at');
    expect(email.text).toBe(
      [
        'Dear Jo Bloggs,',
        "Thank you for your referral to children's services. We have looked at it.",
        "To protect the family's privacy, we cannot tell you what we have done or why.",
        'Your reference is FSP-2026-000124. Please quote it if you contact us.',
        'If you have new worries about a child, contact us.',
        'If you think a child is in immediate danger, call 999.',
        "Children's services front door",
      ].join('\n\n'),
    );
    expect(email.html).toContain('<strong>FSP-2026-000124</strong>');
  });

  it.each(
    REFERRAL_OUTCOMES.flatMap((outcome) => [
      [outcome, false],
      [outcome, undefined],
    ]) as [ReferralOutcome, boolean | undefined][],
  )('after %s (professional: %s) reads the same email, with no outcome, reason, strategy or police in it', (outcome, professional) => {
    const data = decided(outcome, professional);
    const email = emailOf(data);
    expect(email).toEqual(emailOf(publicFixture));
    const whole = wholeOf(email).toLowerCase();
    for (const secret of undisclosed(data)) expect(whole).not.toContain(secret.toLowerCase());
  });

  it('is not told when the decision was made either', () => {
    const whole = wholeOf(emailOf(decided('strategy-discussion', false)));
    expect(whole).not.toMatch(/Monday|Tuesday|Wednesday|Thursday|Friday|January|\d{1,2}:\d{2}(am|pm)/);
  });

  it('escapes their name in the HTML part', () => {
    const email = emailOf({ ...publicFixture, formReferrer: { name: 'A <b>', email: 'a@example.com' } });
    expect(email.html).toContain('Dear A &lt;b&gt;,');
    expect(email.html).not.toContain('<b>');
  });
});

describe('nobody is emailed', () => {
  it('for an anonymous referral (no contact details) or a partner agency’s (told by its webhook)', () => {
    const { formReferrer: _none, ...anonymous } = publicFixture;
    expect(referrerEmailOf(anonymous)).toBeUndefined();
    expect(referrerEmailOf(partnerFixture)).toBeUndefined();
    for (const outcome of REFERRAL_OUTCOMES) expect(referrerEmailOf({ ...anonymous, outcome })).toBeUndefined();
  });
});

describe('property: a public referrer’s email never contains the outcome code, the reason, “strategy” or “police”', () => {
  /** Words a member of the public may type as their own name do not count as disclosure; any other name does. */
  const safeName = fc
    .string({ minLength: 1, maxLength: 200 })
    .filter((name) => name.trim().length > 0 && !/strateg|police|assess|help|action|case|discussion|further/i.test(name));
  /** The front door's reason: any words, always with one unmistakable marker so that "contains it" can fail. */
  const reason = fc
    .tuple(fc.string({ maxLength: 1900 }), fc.uuid(), fc.constantFrom('', ' police', ' strategy discussion'))
    .map(([words, marker, tail]) => `${words} ${marker}${tail}`.slice(0, 2000));

  it('for every outcome, reason, open case, time and a professional flag that is false or absent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REFERRAL_OUTCOMES),
        reason,
        fc.option(fc.constant('case-9'), { nil: undefined }),
        fc.date({ min: new Date('2024-01-01T00:00:00.000Z'), max: new Date('2028-12-31T23:59:59.000Z'), noInvalidDate: true }),
        fc.constantFrom(false, undefined),
        safeName,
        (outcome, why, caseId, decidedAt, professional, name) => {
          const data = referralDecidedV1.data.parse({
            ...publicFixture,
            outcome,
            reason: why,
            decidedAt: decidedAt.toISOString(),
            ...(caseId ? { caseId } : {}),
            formReferrer: { name, email: 'jo.bloggs@example.com', ...(professional === undefined ? {} : { professional }) },
          });
          const email = emailOf(data);
          const whole = wholeOf(email).toLowerCase();
          for (const secret of [outcome, data.reason, 'strategy', 'police']) expect(whole).not.toContain(secret.toLowerCase());
          // Independence, the stronger form: the same email as for any other decision on the same referral.
          expect(email).toEqual(emailOf({ ...data, outcome: 'no-further-action', reason: 'x', decidedAt: publicFixture.decidedAt }));
        },
      ),
    );
  });

  it('and a professional’s does carry them: the property can fail', () => {
    const data = { ...decided('strategy-discussion', true), reason: 'Police to attend the strategy discussion.' };
    const whole = wholeOf(emailOf(data)).toLowerCase();
    expect(whole).toContain('strategy');
    expect(whole).toContain('police');
    expect(whole).toContain(data.reason.toLowerCase());
  });
});

describe('one email per (fact, address)', () => {
  it('has one id per (fact, address), whatever the address’s case', () => {
    expect(referralEmailIdOf('e1', 'Jo@Example.com')).toBe(referralEmailIdOf('e1', 'jo@example.com'));
    expect(referralEmailIdOf('e1', 'jo@example.com')).not.toBe(referralEmailIdOf('e2', 'jo@example.com'));
  });
});
