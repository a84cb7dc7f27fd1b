/** The notifications HTTP function: the worker's inbox. */
import { createHttpHandler } from '@fsp/shared/http/handler';
import { systemClock } from '@fsp/shared/time/clock';
import { inboxRoutes } from './inbox-routes';
import { wireNotifications } from './wiring';

const { store, logger } = wireNotifications();

export const handler = createHttpHandler(inboxRoutes(store, systemClock), { logger });
