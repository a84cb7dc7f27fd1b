/**
 * Jest's setup for every tier: handlers called in the test process write no business-metric EMF
 * lines (they would bury the test output), unless the environment or a test says otherwise
 * (services/referrals/test/integration/business-metrics.test.ts switches them on). The local
 * cloud sets its functions' switch from their log level instead (infra/local/src/local-cloud.ts).
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
