const { existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Three tiers (ADR 0010), each a jest project; `npm test` runs them all:
 * - unit: `test/unit/` — no I/O at all (no DynamoDB, no Java, no network, no browser); seconds.
 * - integration: `test/integration/` — DynamoDB Local (started once by the global setup), the local
 *   bus and queues, in-process handlers, CDK synthesis.
 * - e2e: `test/e2e/` — the whole local cloud, a real browser, the README walkthrough, and the
 *   10,000-case property tests.
 */
const packages = ['shared', 'services/*', 'infra/*'];
const roots = ['shared', 'services', 'infra'].filter((dir) => existsSync(join(__dirname, dir))).map((dir) => `<rootDir>/${dir}`);

const common = {
  rootDir: __dirname,
  roots,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // middy and a few other dependencies ship ESM only; let swc turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testTimeout: 60_000,
  cacheDirectory: '<rootDir>/.jest-cache',
  // Handlers run in the test process write no EMF metric lines unless a test asks (ADR 0022).
  setupFiles: ['<rootDir>/infra/local/test-support/quiet-metrics.ts'],
};

const tier = (name) => packages.map((dir) => `<rootDir>/${dir}/test/${name}/**/*.test.ts`);

const withDynamoDbLocal = {
  globalSetup: '<rootDir>/infra/local/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/infra/local/test-support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60_000,
  cacheDirectory: '<rootDir>/.jest-cache',
  projects: [
    { ...common, displayName: 'unit', testMatch: tier('unit') },
    { ...common, ...withDynamoDbLocal, displayName: 'integration', testMatch: tier('integration') },
    { ...common, ...withDynamoDbLocal, displayName: 'e2e', testMatch: tier('e2e') },
  ],
};
