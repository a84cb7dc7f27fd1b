/** Front-door test support: referrals received through the one intake path, whatever the channel routes do. */
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { z } from 'zod/mini';
import type { ReferralChannel } from '../../src/domain/referral';
import { referralSubmissionSchema } from '../../src/domain/submission';
import { receiveAndStore } from '../../src/handlers/intake';
import { createReferralsStore } from '../../src/store/referrals-store';
import { schoolReferral } from '../fixtures';

export type SubmissionInput = z.input<typeof referralSubmissionSchema>;

export async function receive(
  runtime: ServiceRuntime,
  submission: SubmissionInput = schoolReferral(),
  channel: ReferralChannel = 'partner-api',
) {
  const now = runtime.clock();
  return receiveAndStore(createReferralsStore(runtime.documents, runtime.tableName), {
    submission: referralSubmissionSchema.parse(submission),
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
