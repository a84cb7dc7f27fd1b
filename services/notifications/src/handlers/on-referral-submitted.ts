/** ReferralSubmitted → the front-door team's inbox. */
import { createEventConsumer } from '@fsp/shared/consumer';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { referralSubmittedNotifications } from '../domain/notification';
import { deliverAll } from './deliver';
import { SERVICE_NAME, wireNotifications } from './wiring';

const { config, dynamoClient, store, logger } = wireNotifications();

export const handler = createEventConsumer({
  service: SERVICE_NAME,
  consumerName: 'referral-submitted',
  tableName: config.tableName,
  subscribesTo: [referralSubmittedV1],
  dynamoClient,
  logger,
  handle: (event, context) =>
    deliverAll(store, referralSubmittedNotifications(event.data, event.metadata, config.frontDoorTeamId), context),
});
