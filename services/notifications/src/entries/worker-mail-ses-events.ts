/** Lambda entry of the manifest's `worker-mail-ses-events` function (subscription `worker-mail-ses-events`): SES's Send and Bounce events. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createWorkerMailSesEvents } from '../schedules/worker-mail-ses-events';

export const handler = createWorkerMailSesEvents(serviceRuntimeFromEnvironment('notifications')).consume;
