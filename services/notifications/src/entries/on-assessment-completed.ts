/** Lambda entry of the manifest's `on-assessment-completed` function (subscription `assessment-completed`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createAssessmentCompletedConsumer } from '../consumers/timed-things-done';

export const handler = createAssessmentCompletedConsumer(serviceRuntimeFromEnvironment('notifications'));
