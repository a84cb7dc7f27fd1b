/**
 * The inbox-changed subscription every service with pages declares, and the events it reads: it
 * matches notifications' two counter events at version 1 and nothing else, and each event becomes
 * the counter the projection keeps.
 */
// Test support only: the local cloud's EventBridge matcher, which implements the documented content filtering.
import { matchesEventPattern, parseEventPattern } from '@fsp/infra/local/eventbridge/pattern';
import { parseEventDetail } from '@fsp/shared/events/build';
import { eventCatalogue } from '@fsp/shared/events/catalogue';
import { inboxItemDeliveredV1, inboxItemReadV1 } from '@fsp/shared/events/definitions/notifications';
import { counterOf } from '@fsp/shared/inbox/consumer';
import { inboxChangedSubscription } from '@fsp/shared/inbox/subscription';
import { inboxDelivered, inboxRead } from '@fsp/shared/testing/inbox';

const onTheBus = (event: { source: string; detailType: string; detail: unknown }) => ({
  version: '0',
  id: 'e1',
  'detail-type': event.detailType,
  source: event.source,
  account: '000000000000',
  time: '2026-12-01T09:30:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: event.detail,
});

describe('the inbox-changed subscription', () => {
  const pattern = parseEventPattern(inboxChangedSubscription.pattern);

  it('matches InboxItemDelivered and InboxItemRead v1, and no other event of the catalogue', () => {
    for (const definition of eventCatalogue) {
      const matched = definition.fixtures.map((fixture) =>
        matchesEventPattern(
          pattern,
          onTheBus({
            source: definition.producer,
            detailType: definition.detailType,
            detail: { metadata: { schemaVersion: definition.version }, data: fixture },
          }),
        ),
      );
      const expected = definition === inboxItemDeliveredV1 || definition === inboxItemReadV1;
      expect({ event: definition.detailType, matched }).toEqual({ event: definition.detailType, matched: matched.map(() => expected) });
    }
  });

  it('does not match a later version, nor the same names from another producer', () => {
    const delivered = inboxDelivered('team:front-door', 1);
    expect(matchesEventPattern(pattern, onTheBus(delivered))).toBe(true);
    const v2 = { ...delivered, detail: { ...delivered.detail, metadata: { ...delivered.detail.metadata, schemaVersion: 2 } } };
    expect(matchesEventPattern(pattern, onTheBus(v2))).toBe(false);
    expect(matchesEventPattern(pattern, onTheBus({ ...delivered, source: 'fsp.referrals' }))).toBe(false);
  });

  it('is consumed by each service’s on-inbox-changed entry', () => {
    expect(inboxChangedSubscription.function).toEqual({
      name: 'on-inbox-changed',
      entry: 'src/entries/on-inbox-changed.ts',
      // The unread projection it keeps (ADR 0023), and nothing else of the service's table: no
      // idempotency records, as its writes keep the highest count heard (ADR 0032).
      permissions: { tableKeys: { write: ['INBOX#*'] } },
    });
  });
});

describe('the counter events', () => {
  it('become the counter they report', () => {
    const delivered = parseEventDetail(inboxItemDeliveredV1, inboxDelivered('team:front-door', 7).detail);
    expect(counterOf({ detailType: 'InboxItemDelivered', version: 1, ...delivered })).toEqual({
      counter: 'delivered',
      mailbox: 'team:front-door',
      value: 7,
      notificationId: delivered.data.notificationId,
      at: delivered.data.at,
    });
    const read = parseEventDetail(inboxItemReadV1, inboxRead('local-frontdoor', 'user:local-frontdoor', 2).detail);
    expect(counterOf({ detailType: 'InboxItemRead', version: 1, ...read })).toEqual({
      counter: 'read',
      userId: 'local-frontdoor',
      mailbox: 'user:local-frontdoor',
      value: 2,
      notificationId: read.data.notificationId,
      at: read.data.at,
    });
  });

  it('refuse what is not a mailbox or a count, naming the field', () => {
    const good = inboxDelivered('team:front-door', 1).detail;
    expect(() => parseEventDetail(inboxItemDeliveredV1, { ...good, data: { ...good.data, mailbox: 'front-door' } })).toThrow(
      /\$\.data\.mailbox must be a mailbox/,
    );
    expect(() => parseEventDetail(inboxItemDeliveredV1, { ...good, data: { ...good.data, deliveredCount: 0 } })).toThrow(
      /\$\.data\.deliveredCount/,
    );
    const read = inboxRead('priya', 'team:front-door', 1).detail;
    expect(() => parseEventDetail(inboxItemReadV1, { ...read, data: { ...read.data, userId: 'two words' } })).toThrow(/\$\.data\.userId/);
  });
});
