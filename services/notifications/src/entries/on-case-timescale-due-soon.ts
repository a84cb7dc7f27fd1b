/** Lambda entry of the manifest's `on-case-timescale-due-soon` function (subscription `case-timescale-due-soon`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseTimescaleDueSoonConsumer } from '../consumers/case-timescale-due-soon';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createCaseTimescaleDueSoonConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
