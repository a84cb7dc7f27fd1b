import { ConfigurationError, serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { systemClock } from '@fsp/shared/time/clock';

describe('serviceRuntimeFromEnvironment', () => {
  it("builds the service's runtime from the platform's environment", () => {
    const runtime = serviceRuntimeFromEnvironment('cases', { TABLE_NAME: 'fsp-local-cases', AWS_REGION: 'eu-west-2' });
    expect(runtime).toMatchObject({ serviceName: 'cases', tableName: 'fsp-local-cases', clock: systemClock });
    expect(runtime.documents.config).toBe(runtime.dynamo.config);
    runtime.dynamo.destroy();
  });

  it('refuses to start without TABLE_NAME, naming it', () => {
    expect(() => serviceRuntimeFromEnvironment('cases', {})).toThrow(ConfigurationError);
    expect(() => serviceRuntimeFromEnvironment('cases', {})).toThrow(/TABLE_NAME/);
  });
});
