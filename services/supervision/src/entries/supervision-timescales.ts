/** Lambda entry of the manifest's `supervision-timescales` function (schedule `supervision-timescales`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionTimescales } from '../schedules/supervision-timescales';

export const handler = createSupervisionTimescales(serviceRuntimeFromEnvironment('supervision'));
