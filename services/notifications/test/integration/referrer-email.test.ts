/**
 * ReferralDecided → the web-form referrer's email, through SES v2 into the local mail outbox (the
 * local cloud's SES stand-in, served in-process), once however often the fact arrives; as much as
 * the referrer may be told (DOMAIN.md, Referrals 5): a professional the outcome and the reason, a
 * member of the public only that the referral was looked at, an anonymous referrer nothing.
 */
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { manifest } from '../../service';
import { createSesEmailSender, type EmailSender } from '../../src/adapters/ses-email-sender';
import { factOf } from '../support/facts';
import { startMailOutbox } from '../support/outbound';
import { outboundUnderTest } from '../support/outbound-runtime';

let mail: Awaited<ReturnType<typeof startMailOutbox>>;
let env: Awaited<ReturnType<typeof outboundUnderTest>>;
/** Lets a test make SES fail; otherwise every email goes to the outbox. */
let failNext = 0;

beforeAll(async () => {
  mail = await startMailOutbox();
  const ses = createSesEmailSender(manifest.environment!.MAIL_FROM!, mail.ses);
  const sendEmail: EmailSender = async (message) => {
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('SES is unavailable');
    }
    return ses(message);
  };
  env = await outboundUnderTest({ sendEmail });
});
afterAll(async () => {
  await mail.stop();
  await env.table.drop();
});
beforeEach(async () => {
  await mail.outbox.clear();
});

const formReferral = (email: string, professional?: boolean) =>
  factOf(
    referralDecidedV1,
    {
      ...referralDecidedV1.fixtures[1]!,
      formReferrer: { name: 'Jo Bloggs', email, ...(professional === undefined ? {} : { professional }) },
    },
    '2026-01-12T10:00:00.000Z',
  );

/** A strategy discussion, with the police named in its reason: what a member of the public must never read. */
const strategyDiscussion = (email: string, professional?: boolean) =>
  factOf(
    referralDecidedV1,
    {
      ...referralDecidedV1.fixtures[2]!,
      formReferrer: { name: 'Sam Carter', email, ...(professional === undefined ? {} : { professional }) },
    },
    '2026-01-14T11:20:00.000Z',
  );

describe('the form referrer is told the decision by email', () => {
  it('a professional: one email from MAIL_FROM, plain text and HTML, with the outcome in plain words, the reason and the reference', async () => {
    await env.deliver('referralDecided', formReferral('jo.bloggs@example.com', true));
    const messages = await mail.outbox.messages();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({
      from: 'referrals@fsp.example.gov.uk',
      to: ['jo.bloggs@example.com'],
      subject: 'Your referral FSP-2026-000124: our decision',
    });
    expect(message!.text).toContain('The family will be offered support from the early help service.');
    expect(message!.text).toContain('Stepped down to the early help team, who will contact the family this week.');
    expect(message!.html).toContain('FSP-2026-000124');
    // The address and the body stay out of the logs.
    const logged = JSON.stringify(env.logLines);
    expect(logged).not.toContain('jo.bloggs@example.com');
    expect(logged).not.toContain('Stepped down');
  });

  it('a professional is told of a strategy discussion and the police in it', async () => {
    await env.deliver('referralDecided', strategyDiscussion('dsl@oakfield.example.sch.uk', true));
    const [message] = await mail.outbox.messages();
    expect(message!.subject).toBe('Your referral FSP-2026-000131: our decision');
    expect(message!.text).toContain('(a strategy discussion)');
    expect(message!.text).toContain('The injuries described need a strategy discussion with the police and health today.');
  });

  it.each([
    ['professional: false', false],
    ['no professional flag (a fact from before it existed)', undefined],
  ])(
    'a member of the public (%s) is told only that it was looked at: no strategy discussion, no police, no reason',
    async (_, professional) => {
      await env.deliver('referralDecided', strategyDiscussion('neighbour@example.com', professional));
      const messages = await mail.outbox.messages();
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message).toMatchObject({ to: ['neighbour@example.com'], subject: 'Your referral FSP-2026-000131 has been looked at' });
      expect(message!.text).toContain('We have looked at it.');
      expect(message!.text).toContain("To protect the family's privacy, we cannot tell you what we have done or why.");
      expect(message!.text).toContain('Your reference is FSP-2026-000131.');
      const whole = [message!.subject, message!.text, message!.html].join('\n');
      expect(message!.html).toContain('FSP-2026-000131');
      expect(whole.toLowerCase()).not.toContain('strategy');
      expect(whole.toLowerCase()).not.toContain('police');
      expect(whole).not.toContain('injuries');
    },
  );

  it('an anonymous referral (no formReferrer) sends nobody an email', async () => {
    const { formReferrer: _none, ...anonymous } = referralDecidedV1.fixtures[2]!;
    await env.deliver('referralDecided', factOf(referralDecidedV1, anonymous, '2026-01-14T11:20:00.000Z'));
    expect(await mail.outbox.messages()).toHaveLength(0);
  });

  it('the same fact five times in sequence: one email', async () => {
    const fact = formReferral('sequential@example.com');
    for (let i = 0; i < 5; i += 1) await env.deliver('referralDecided', fact);
    await env.forgetIdempotency();
    await env.deliver('referralDecided', fact);
    expect(await mail.outbox.messages()).toHaveLength(1);
  });

  it('the same fact five times concurrently: one email', async () => {
    const fact = formReferral('concurrent@example.com');
    await deliverUntilAccepted(
      env.consumers.referralDecided,
      Array.from({ length: 5 }, () => fact),
    );
    expect(await mail.outbox.messages()).toHaveLength(1);
  });

  it('five concurrent deliveries without the consumer’s idempotency records: still one email', async () => {
    const fact = formReferral('no-idempotency@example.com');
    const rounds = Array.from({ length: 5 }, () => env.consumers.referralDecided);
    // Each delivery forgets the records first, so only the email's own claim stands between them.
    await Promise.all(
      rounds.map(async (consumer) => {
        await env.forgetIdempotency();
        await deliverUntilAccepted(consumer, [fact]);
      }),
    );
    expect(await mail.outbox.messages()).toHaveLength(1);
  });

  it('an SES failure fails the fact, and its retry sends the email once', async () => {
    failNext = 1;
    const fact = formReferral('retried@example.com');
    expect(await deliverUntilAccepted(env.consumers.referralDecided, [fact])).toBe(2);
    expect(await mail.outbox.messages()).toHaveLength(1);
  });

  it('a partner referral gets no email', async () => {
    await env.deliver('referralDecided', factOf(referralDecidedV1, referralDecidedV1.fixtures[0]!));
    expect(await mail.outbox.messages()).toHaveLength(0);
  });
});
