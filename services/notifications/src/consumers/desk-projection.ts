/** What the consumers of the front door's decision clock do with the desk (src/domain/desk.ts). */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { ReferralClockFact } from '../domain/desk';
import type { DeskStore } from '../store/desk-store';

/** Keeps the referral on the front door's list until its decision; a fact arriving after the decision changes nothing. */
export async function projectAwaitingDecision(desk: DeskStore, fact: ReferralClockFact, context: ConsumerContext): Promise<void> {
  const outcome = await desk.referralAwaitingDecision(fact, context.now);
  if (outcome === 'already-decided') {
    context.logger.info('The referral was decided already; the desk keeps it off the list', { referralId: fact.referral.referralId });
  }
}
