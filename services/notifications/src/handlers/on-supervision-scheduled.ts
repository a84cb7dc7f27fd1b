/** SupervisionScheduled → the inbox of the case's team. */
import { createEventConsumer } from '@fsp/shared/consumer';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { supervisionScheduledNotifications } from '../domain/notification';
import { deliverAll } from './deliver';
import { SERVICE_NAME, wireNotifications } from './wiring';

const { config, dynamoClient, store, logger } = wireNotifications();

export const handler = createEventConsumer({
  service: SERVICE_NAME,
  consumerName: 'supervision-scheduled',
  tableName: config.tableName,
  subscribesTo: [supervisionScheduledV1],
  dynamoClient,
  logger,
  handle: (event, context) => deliverAll(store, supervisionScheduledNotifications(event.data, event.metadata), context),
});
