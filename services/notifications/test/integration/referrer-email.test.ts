/**
 * ReferralDecided → the web-form referrer's email, through SES v2 into the local mail outbox (the
 * local cloud's SES stand-in, served in-process), once however often the fact arrives.
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

const formReferral = (email: string) =>
  factOf(referralDecidedV1, { ...referralDecidedV1.fixtures[1]!, formReferrer: { name: 'Jo Bloggs', email } }, '2026-01-12T10:00:00.000Z');

describe('the form referrer is told the decision by email', () => {
  it('one email from MAIL_FROM, plain text and HTML, with the outcome in plain words, the reason and the reference', async () => {
    await env.deliver('referralDecided', formReferral('jo.bloggs@example.com'));
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
