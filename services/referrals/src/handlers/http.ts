import { createLogger } from '@fsp/shared/observability/logger';
import { createDocumentClient, platformConfig } from '@fsp/shared/runtime';
import { systemClock } from '@fsp/shared/time/clock';
import { createReferralsApi } from './api';

const config = platformConfig();

export const handler = createReferralsApi({
  documents: createDocumentClient(),
  tableName: config.tableName,
  clock: systemClock,
  logger: createLogger('referrals'),
});
