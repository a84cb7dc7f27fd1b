/** Lambda entry point of the `case-chronology` subscription (manifest function `on-case-chronology`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseChronologyConsumer } from '../consumers/case-chronology';

export const handler = createCaseChronologyConsumer(serviceRuntimeFromEnvironment('supervision'));
