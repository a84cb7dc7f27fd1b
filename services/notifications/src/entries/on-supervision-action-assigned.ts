/** Lambda entry of the manifest's `on-supervision-action-assigned` function (subscription `supervision-action-assigned`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionActionAssignedConsumer } from '../consumers/supervision-action-assigned';

export const handler = createSupervisionActionAssignedConsumer(serviceRuntimeFromEnvironment('notifications'));
