/** CaseOpened → the inbox of the team that holds the case, to allocate it. */
import { createEventConsumer } from '@fsp/shared/consumer';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { caseOpenedNotifications } from '../domain/notification';
import { deliverAll } from './deliver';
import { SERVICE_NAME, wireNotifications } from './wiring';

const { config, dynamoClient, store, logger } = wireNotifications();

export const handler = createEventConsumer({
  service: SERVICE_NAME,
  consumerName: 'case-opened',
  tableName: config.tableName,
  subscribesTo: [caseOpenedV1],
  dynamoClient,
  logger,
  handle: (event, context) => deliverAll(store, caseOpenedNotifications(event.data, event.metadata), context),
});
