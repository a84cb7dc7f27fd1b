/** Lambda entry point of the notifications HTTP API: the worker's inbox. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createNotificationsApi } from './api';

export const handler = createNotificationsApi(serviceRuntimeFromEnvironment('notifications'));
