/** Lambda entry of the manifest's `case-timescales` function (schedule `case-timescales`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseTimescales } from '../schedules/case-timescales';

export const handler = createCaseTimescales(serviceRuntimeFromEnvironment('cases'));
