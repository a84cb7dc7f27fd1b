import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { mayCommitOutboxItems } from '../../src/relay';

describe('which invocations wake the outbox relay', () => {
  it('does not wake it for a GET or HEAD through the gateway: a page or a read', () => {
    expect(mayCommitOutboxItems(apiGatewayEvent({ method: 'GET', path: '/cases' }))).toBe(false);
    expect(mayCommitOutboxItems(apiGatewayEvent({ method: 'HEAD', path: '/cases' }))).toBe(false);
  });

  it('wakes it for every other request, queue batch and schedule, and for anything it cannot read', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(mayCommitOutboxItems(apiGatewayEvent({ method, path: '/v1/referrals' }))).toBe(true);
    }
    expect(mayCommitOutboxItems({ Records: [{ messageId: '1', body: '{}' }] })).toBe(true);
    expect(mayCommitOutboxItems({ source: 'aws.scheduler', detail: {} })).toBe(true);
    expect(mayCommitOutboxItems(null)).toBe(true);
    expect(mayCommitOutboxItems('GET')).toBe(true);
  });
});
