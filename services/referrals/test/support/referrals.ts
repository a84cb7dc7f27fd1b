/** Front-door test support: referrals received through the one intake path, whatever the channel routes do. */
import type { KeyringSource } from '@fsp/shared/keyed-hash';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, deliverUntilAccepted } from '@fsp/shared/testing/events';
import type { z } from 'zod/mini';
import { createKnownFamilyCheckConsumer } from '../../src/consumers/known-family-check';
import type { ReferralChannel } from '../../src/domain/referral';
import { formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import { receiveAndStore } from '../../src/http/intake';
import { createReferralsStore, type StoredReferral } from '../../src/store/referrals-store';
import { schoolReferral } from './fixtures';

/** Either channel's: a form referral may be anonymous (no referrer). */
export type SubmissionInput = z.input<typeof formSubmissionSchema>;

/** The ReferralSubmitted the intake transaction put in the outbox for `referralId`, as the relay would publish it. */
export async function submittedEventOf(runtime: ServiceRuntime, referralId: string): Promise<DeliverableEvent> {
  const items = await allItems({ documentClient: runtime.documents, tableName: runtime.tableName });
  const event = items
    .filter((item) => item.kind === 'outbox' && item.detailType === 'ReferralSubmitted')
    .map((item) => ({ source: item.source as string, detailType: item.detailType as string, detail: JSON.parse(item.detail as string) }))
    .find((candidate) => candidate.detail.data.referralId === referralId);
  if (!event) throw new Error(`no ReferralSubmitted in the outbox for ${referralId}`);
  return event;
}

/** A referral received and then known-family checked, as the subscription does just after intake. */
export async function receive(
  runtime: ServiceRuntime,
  submission: SubmissionInput = schoolReferral(),
  channel: ReferralChannel = 'partner-api',
): Promise<StoredReferral> {
  const store = createReferralsStore(runtime.documents, runtime.tableName);
  const received = await receiveUnchecked(runtime, submission, channel);
  await deliverUntilAccepted(createKnownFamilyCheckConsumer(runtime), [await submittedEventOf(runtime, received.referralId)]);
  const checked = await store.get(received.referralId);
  if (!checked) throw new Error(`referral ${received.referralId} vanished`);
  return checked;
}

/** A referral received, its known-family check not yet run. */
export async function receiveUnchecked(
  runtime: ServiceRuntime,
  submission: SubmissionInput = schoolReferral(),
  channel: ReferralChannel = 'partner-api',
  /** The key ring the index is hashed with: a running local cloud's (`cloud.matchKeys`) when its functions will read it. */
  matchKeys?: KeyringSource,
) {
  const now = runtime.clock();
  return receiveAndStore(createReferralsStore(runtime.documents, runtime.tableName, ...(matchKeys ? [matchKeys] : [])), {
    submission: (channel === 'form' ? formSubmissionSchema : referralSubmissionSchema).parse(submission),
    channel,
    ...(channel === 'partner-api' ? { agencyId: 'agency-oakfield' } : {}),
    now,
    events: { clock: () => now, correlationId: 'test-journey', causationId: 'test-request' },
    logger: runtime.logger,
  });
}

export const withChild = (
  child: Partial<SubmissionInput['children'][number]>,
  base: SubmissionInput = schoolReferral(),
): SubmissionInput => ({
  ...base,
  children: [{ ...base.children[0]!, ...child }],
});
