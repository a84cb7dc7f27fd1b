import {
  EventBridgeServiceException,
  InvalidEventPatternException,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES, putEventsEntrySize } from '../../../src/eventbridge/api';
import { ACCOUNT_ID, REGION, type RunningEventBridge, runAwsCli, startEventBridge } from './support';

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'fsp.referrals',
  DetailType: 'ReferralSubmitted',
  Detail: JSON.stringify({ metadata: { eventId: 'e-1' }, data: { referralId: 'r-1' } }),
  ...overrides,
});

/** Raw AWS JSON 1.1 calls, for what the SDK would never send. */
async function rawCall(endpoint: string, target: string | undefined, body: string, contentType = 'application/x-amz-json-1.1') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (target !== undefined) headers['x-amz-target'] = target;
  const response = await fetch(endpoint, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const sdkError = async (promise: Promise<unknown>): Promise<EventBridgeServiceException> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EventBridgeServiceException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

describe('local EventBridge PutEvents through the AWS SDK', () => {
  let bridge: RunningEventBridge;
  beforeEach(async () => {
    bridge = await startEventBridge();
  });
  afterEach(async () => {
    await bridge.close();
  });

  it('accepts entries, delivers each as an EventBridge event in order, and returns their ids', async () => {
    const result = await bridge.client.send(
      new PutEventsCommand({
        Entries: [
          entry(),
          entry({
            Source: 'fsp.cases',
            DetailType: 'CaseOpened',
            Detail: '{"data":{"caseId":"c-1"}}',
            EventBusName: 'fsp',
            Resources: ['arn:aws:dynamodb:eu-west-2:000000000000:table/cases'],
            Time: new Date('2026-01-05T08:00:00Z'),
          }),
          entry({ EventBusName: `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/fsp` }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toEqual([{ EventId: 'event-1' }, { EventId: 'event-2' }, { EventId: 'event-3' }]);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bridge.deliveries).toEqual([
      {
        busName: 'default',
        event: {
          version: '0',
          id: 'event-1',
          'detail-type': 'ReferralSubmitted',
          source: 'fsp.referrals',
          account: ACCOUNT_ID,
          time: '2026-03-02T09:30:15Z',
          region: REGION,
          resources: [],
          detail: { metadata: { eventId: 'e-1' }, data: { referralId: 'r-1' } },
        },
      },
      {
        busName: 'fsp',
        event: {
          version: '0',
          id: 'event-2',
          'detail-type': 'CaseOpened',
          source: 'fsp.cases',
          account: ACCOUNT_ID,
          time: '2026-01-05T08:00:00Z',
          region: REGION,
          resources: ['arn:aws:dynamodb:eu-west-2:000000000000:table/cases'],
          detail: { data: { caseId: 'c-1' } },
        },
      },
      expect.objectContaining({ busName: 'fsp', event: expect.objectContaining({ id: 'event-3' }) }),
    ]);
  });

  it('fails bad entries one by one, with the codes and messages AWS uses, and delivers the rest', async () => {
    const result = await bridge.client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ Detail: undefined }),
          entry({ Detail: 'not json' }),
          entry({ Detail: '[1, 2]' }),
          entry({ Detail: '"a string"' }),
          entry({ Source: '' }),
          entry({ EventBusName: 'no-such-bus' }),
          entry({ EventBusName: `arn:aws:events:us-east-1:${ACCOUNT_ID}:event-bus/fsp` }),
          entry({ Detail: '{"ok":true}' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(9);
    expect(result.Entries).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus no-such-bus does not exist.' },
      {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus arn:aws:events:us-east-1:${ACCOUNT_ID}:event-bus/fsp does not exist.`,
      },
      { EventId: 'event-1' },
    ]);
    expect(bridge.deliveries.map((delivery) => delivery.event.detail)).toEqual([{ ok: true }]);
  });

  it('refuses more than 10 entries as a whole, in the words AWS uses, and delivers nothing', async () => {
    const error = await sdkError(bridge.client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })));

    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toMatch(
      /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=fsp\.referrals, resources=null, detailType=ReferralSubmitted, .*\)\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    expect(bridge.deliveries).toEqual([]);
  });

  it('accepts exactly 10 entries', async () => {
    const result = await bridge.client.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => entry()) }));
    expect(result.FailedEntryCount).toBe(0);
    expect(bridge.deliveries).toHaveLength(10);
  });

  it('refuses an empty entry list', async () => {
    const error = await sdkError(bridge.client.send(new PutEventsCommand({ Entries: [] })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  describe('the 256 KB limit on the entries of one request', () => {
    /** A Detail that makes the entry exactly `size` bytes as AWS counts them. */
    function entryOfSize(size: number, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
      const base = entry({ ...overrides, Detail: '{"p":""}' });
      const padding = size - putEventsEntrySize({ ...base, Time: base.Time });
      return { ...base, Detail: `{"p":"${'x'.repeat(padding)}"}` };
    }

    it('counts Source, DetailType, Detail and Resources in UTF-8 bytes, and Time as 14', () => {
      expect(putEventsEntrySize({ Source: 'ab', DetailType: 'c', Detail: '{"é":1}', Resources: ['r1', 'r2'] })).toBe(2 + 1 + 8 + 4);
      expect(putEventsEntrySize({ Source: 'ab', DetailType: 'c', Time: new Date() })).toBe(3 + 14);
    });

    it('accepts entries totalling exactly 256 KB', async () => {
      const half = PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES / 2;
      const result = await bridge.client.send(
        new PutEventsCommand({
          Entries: [entryOfSize(half), entryOfSize(half, { Time: new Date('2026-01-01T00:00:00Z'), Resources: ['r'] })],
        }),
      );
      expect(result.FailedEntryCount).toBe(0);
      expect(bridge.deliveries).toHaveLength(2);
    });

    it('refuses the whole request when the entries total one byte more', async () => {
      const half = PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES / 2;
      const error = await sdkError(bridge.client.send(new PutEventsCommand({ Entries: [entryOfSize(half), entryOfSize(half + 1)] })));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Total size of the entries in the request is over the limit.');
      expect(bridge.deliveries).toEqual([]);
    });

    it('counts multi-byte characters as the bytes they take', async () => {
      const detail = `{"p":"${'é'.repeat(PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES / 2)}"}`;
      const error = await sdkError(bridge.client.send(new PutEventsCommand({ Entries: [entry({ Detail: detail })] })));
      expect(error.message).toBe('Total size of the entries in the request is over the limit.');
    });
  });

  it('fails only the entry whose delivery rejects, reports why, and carries on with the next', async () => {
    await bridge.close();
    const delivered: string[] = [];
    bridge = await startEventBridge({
      deliver: async (_busName, event) => {
        if ((event.detail as { fail?: boolean }).fail) throw new Error('queue store is read-only');
        delivered.push(event.id);
      },
    });

    const result = await bridge.client.send(
      new PutEventsCommand({ Entries: [entry(), entry({ Detail: '{"fail":true}' }), entry(), entry({ Source: undefined })] }),
    );

    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries).toEqual([
      { EventId: 'event-1' },
      { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure' },
      { EventId: 'event-3' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    ]);
    expect(delivered).toEqual(['event-1', 'event-3']);
    expect(bridge.reportedErrors).toHaveLength(1);
    expect(bridge.reportedErrors[0]?.message).toBe('delivery of event event-2 to bus default failed');
    expect(bridge.reportedErrors[0]?.error).toHaveProperty('message', 'queue store is read-only');
    expect(bridge.reportedErrors[0]?.requestId).toBe(result.$metadata.requestId);
  });

  it('delivers one entry at a time, waiting for each delivery before the next', async () => {
    await bridge.close();
    const log: string[] = [];
    bridge = await startEventBridge({
      deliver: async (_busName, event) => {
        log.push(`start ${event.id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${event.id}`);
      },
    });
    await bridge.client.send(new PutEventsCommand({ Entries: [entry(), entry(), entry()] }));
    expect(log).toEqual(['start event-1', 'end event-1', 'start event-2', 'end event-2', 'start event-3', 'end event-3']);
  });
});

describe('local EventBridge TestEventPattern through the AWS SDK', () => {
  let bridge: RunningEventBridge;
  beforeAll(async () => {
    bridge = await startEventBridge();
  });
  afterAll(async () => {
    await bridge.close();
  });

  const event = JSON.stringify({
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'ReferralSubmitted',
    source: 'fsp.referrals',
    account: ACCOUNT_ID,
    time: '2026-03-02T09:30:15Z',
    region: REGION,
    resources: [],
    detail: { data: { urgency: 'high', childCount: 3 } },
  });

  it('tells whether a pattern matches an event', async () => {
    const matching = await bridge.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: [{ prefix: 'fsp.' }], detail: { data: { childCount: [{ numeric: ['>', 2] }] } } }),
        Event: event,
      }),
    );
    const notMatching = await bridge.client.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { data: { urgency: ['low'] } } }), Event: event }),
    );
    expect(matching.Result).toBe(true);
    expect(notMatching.Result).toBe(false);
  });

  it('answers an invalid pattern with InvalidEventPatternException and the reason', async () => {
    const error = await sdkError(
      bridge.client.send(new TestEventPatternCommand({ EventPattern: '{"source": [{"foo": 1}]}', Event: event })),
    );
    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect(error.message).toBe('Event pattern is not valid. Reason: Unrecognized match type foo');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('matches a path spelt with dots in the pattern or in the event as the nested path', async () => {
    const dottedEvent = JSON.stringify({ ...JSON.parse(event), detail: { 'data.urgency': 'high' } });
    const results = await Promise.all(
      [
        [JSON.stringify({ detail: { 'data.urgency': ['high'] } }), event],
        [JSON.stringify({ detail: { data: { urgency: ['high'] } } }), dottedEvent],
        [JSON.stringify({ 'detail.data.urgency': ['high'] }), dottedEvent],
        [JSON.stringify({ detail: { 'data.urgency': ['low'] } }), dottedEvent],
      ].map(([EventPattern, Event]) => bridge.client.send(new TestEventPatternCommand({ EventPattern, Event }))),
    );
    expect(results.map((result) => result.Result)).toEqual([true, true, true, false]);
  });

  it('refuses a pattern over the wildcard complexity limit with InvalidEventPatternException', async () => {
    const pattern = JSON.stringify({ detail: { data: { urgency: [{ wildcard: '*h*h*h*h*h*h*h*h*h*h*' }] } } });
    const error = await sdkError(bridge.client.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event })));
    expect(error).toBeInstanceOf(InvalidEventPatternException);
    expect(error.message).toBe(
      'Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    const simpler = JSON.stringify({ detail: { data: { urgency: [{ wildcard: '*h*' }] } } });
    expect((await bridge.client.send(new TestEventPatternCommand({ EventPattern: simpler, Event: event }))).Result).toBe(true);
  });

  it.each([
    ['not JSON', '{"id":'],
    ['not an object', '["id"]'],
    ['missing a mandatory field', JSON.stringify({ ...JSON.parse(event), time: undefined })],
  ])('answers an event that is %s with ValidationException', async (_description, badEvent) => {
    const error = await sdkError(bridge.client.send(new TestEventPatternCommand({ EventPattern: '{"source": ["x"]}', Event: badEvent })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Parameter Event is not valid.');
  });

  it('does not insist on resources, which the API reference calls mandatory but the service does not', async () => {
    const withoutResources = JSON.stringify({ ...JSON.parse(event), resources: undefined });
    const result = await bridge.client.send(
      new TestEventPatternCommand({ EventPattern: '{"source": ["fsp.referrals"]}', Event: withoutResources }),
    );
    expect(result.Result).toBe(true);
  });

  it('answers an operation it does not implement with UnknownOperationException', async () => {
    const error = await sdkError(bridge.client.send(new ListRulesCommand({})));
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('local EventBridge wire protocol', () => {
  let bridge: RunningEventBridge;
  beforeAll(async () => {
    bridge = await startEventBridge();
  });
  afterAll(async () => {
    await bridge.close();
  });

  it('answers in AWS JSON 1.1 with a request id', async () => {
    const response = await rawCall(bridge.endpoint, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [entry()] }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
  });

  it.each<[string, string | undefined, string, string, string | RegExp]>([
    [
      'an unknown operation',
      'AWSEvents.DescribeEverything',
      '{}',
      'UnknownOperationException',
      'Unknown operation: AWSEvents.DescribeEverything',
    ],
    ['another service', 'DynamoDB_20120810.GetItem', '{}', 'UnknownOperationException', 'Unknown operation: DynamoDB_20120810.GetItem'],
    ['no target', undefined, '{}', 'UnknownOperationException', 'Unknown operation: (no X-Amz-Target header)'],
    ['a body that is not JSON', 'AWSEvents.PutEvents', '{"Entries": [', 'SerializationException', /^Request body is not valid JSON: /],
    ['a member of the wrong type', 'AWSEvents.PutEvents', '{"Entries": "all of them"}', 'SerializationException', /^Entries: /],
    [
      'an entry member of the wrong type',
      'AWSEvents.PutEvents',
      '{"Entries": [{"Source": 5}]}',
      'SerializationException',
      /^Entries\.0\.Source: /,
    ],
    [
      'no entries',
      'AWSEvents.PutEvents',
      '{}',
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    ],
    [
      'no event pattern',
      'AWSEvents.TestEventPattern',
      '{"Event": "{}"}',
      'ValidationException',
      "1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null",
    ],
  ])('answers %s with HTTP 400, __type and x-amzn-ErrorType', async (_description, target, body, type, message) => {
    const response = await rawCall(bridge.endpoint, target, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(type);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.__type).toBe(type);
    expect(response.body.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  it('refuses a body that is not AWS JSON 1.1, and delivers nothing from it', async () => {
    const deliveredBefore = bridge.deliveries.length;
    const response = await rawCall(bridge.endpoint, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [entry()] }), 'text/plain');
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('SerializationException');
    expect(response.body.message).toBe('Expected Content-Type application/x-amz-json-1.1, got text/plain.');
    expect(bridge.deliveries).toHaveLength(deliveredBefore);
  });

  it('stops reading a body far larger than any valid request could be', async () => {
    const response = await rawCall(
      bridge.endpoint,
      'AWSEvents.PutEvents',
      JSON.stringify({ Entries: [entry({ Detail: `{"p":"${'x'.repeat(5 * 1024 * 1024)}"}` })] }),
    );
    expect(response.status).toBe(413);
    expect(response.body.__type).toBe('RequestEntityTooLargeException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a fault of its own with 500 InternalFailure and reports the cause', async () => {
    const broken = await startEventBridge({
      newEventId: () => {
        throw new Error('id generator broke');
      },
    });
    try {
      const response = await rawCall(broken.endpoint, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [entry()] }));
      expect(response.status).toBe(500);
      expect(response.body.__type).toBe('InternalFailure');
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(broken.reportedErrors[0]?.error).toHaveProperty('message', 'id generator broke');
    } finally {
      await broken.close();
    }
  });
});

describe('local EventBridge through the real AWS CLI', () => {
  let bridge: RunningEventBridge;
  beforeAll(async () => {
    bridge = await startEventBridge();
  });
  afterAll(async () => {
    await bridge.close();
  });

  it('puts events, with per-entry results', async () => {
    const entries = [
      { Source: 'fsp.referrals', DetailType: 'ReferralSubmitted', Detail: '{"data":{"referralId":"r-9"}}', Time: '2026-01-05T08:00:00Z' },
      { Source: 'fsp.referrals', DetailType: 'ReferralSubmitted', Detail: 'oops' },
      { Source: 'fsp.referrals', DetailType: 'ReferralSubmitted', Detail: '{}', EventBusName: 'nope' },
    ];
    const result = await runAwsCli(bridge.endpoint, ['events', 'put-events', '--entries', JSON.stringify(entries)]);

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      FailedEntryCount: 2,
      Entries: [
        { EventId: 'event-1' },
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
      ],
    });
    expect(bridge.deliveries.at(-1)).toEqual({
      busName: 'default',
      event: expect.objectContaining({ id: 'event-1', time: '2026-01-05T08:00:00Z', detail: { data: { referralId: 'r-9' } } }),
    });
  });

  it('surfaces a refused request as an error and a failing exit code', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    const result = await runAwsCli(bridge.endpoint, ['events', 'put-events', '--entries', JSON.stringify(entries)]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'An error occurred (ValidationException) when calling the PutEvents operation: 1 validation error detected',
    );
  });

  it('tests event patterns', async () => {
    const event = JSON.stringify({
      id: '1',
      'detail-type': 'CaseOpened',
      source: 'fsp.cases',
      account: ACCOUNT_ID,
      time: '2026-03-02T09:30:15Z',
      region: REGION,
      resources: [],
      detail: {},
    });
    const matching = await runAwsCli(bridge.endpoint, [
      'events',
      'test-event-pattern',
      '--event-pattern',
      '{"source":[{"wildcard":"fsp.*"}]}',
      '--event',
      event,
    ]);
    const notMatching = await runAwsCli(bridge.endpoint, [
      'events',
      'test-event-pattern',
      '--event-pattern',
      '{"source":["fsp.referrals"]}',
      '--event',
      event,
    ]);
    expect([matching.exitCode, JSON.parse(matching.stdout)]).toEqual([0, { Result: true }]);
    expect([notMatching.exitCode, JSON.parse(notMatching.stdout)]).toEqual([0, { Result: false }]);
  });

  it('surfaces an invalid pattern as InvalidEventPatternException', async () => {
    const result = await runAwsCli(bridge.endpoint, [
      'events',
      'test-event-pattern',
      '--event-pattern',
      '{"source":[{"wildcard":"fsp.**"}]}',
      '--event',
      '{"id":"1","detail-type":"x","source":"y","account":"1","time":"t","region":"r"}',
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'An error occurred (InvalidEventPatternException) when calling the TestEventPattern operation: Event pattern is not valid. Reason: Consecutive wildcard characters at pos 5',
    );
  });
});
