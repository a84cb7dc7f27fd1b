import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from '../../../src/eventbridge/pattern';

/** The EC2 event the EventBridge user guide uses throughout, with the given fields replaced. */
function ec2Event(overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', ...detail },
    ...overrides,
  };
}

const withDetail = (detail: Record<string, unknown>) => ec2Event({ detail });

interface Example {
  title: string;
  pattern: unknown;
  matches: unknown[];
  doesNotMatch: unknown[];
}

/**
 * Every example of "Content filtering in Amazon EventBridge event patterns" (and its comparison-operator
 * table), "Arrays in event patterns" and "Matching null values and empty strings", each with events the
 * text says it matches and events it must not.
 */
const documentedExamples: Example[] = [
  {
    title: 'event patterns: the EC2 instance-termination pattern',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } },
    matches: [ec2Event()],
    doesNotMatch: [ec2Event({}, { state: 'running' }), ec2Event({ source: 'aws.s3' })],
  },
  {
    title: 'prefix matching on "time"',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    matches: [ec2Event({ time: '2017-10-02T18:43:48Z' })],
    doesNotMatch: [ec2Event({ time: '2017-10-03T18:43:48Z' }), ec2Event({ time: '2017-10-0' })],
  },
  {
    title: 'prefix matching ignoring case',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    matches: [{ service: 'EventBridge' }, { service: 'EVENTBRIDGE' }, { service: 'eventbridge' }, { service: 'eVeNtB' }],
    doesNotMatch: [{ service: 'Event Bridge' }, { service: 'Lambda' }, { service: 'xEventB' }],
  },
  {
    title: 'suffix matching',
    pattern: { FileName: [{ suffix: '.png' }] },
    matches: [{ FileName: 'image.png' }, { FileName: '.png' }],
    doesNotMatch: [{ FileName: 'image.PNG' }, { FileName: 'image.png.txt' }],
  },
  {
    title: 'suffix matching ignoring case',
    pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    matches: [{ FileName: 'image.png' }, { FileName: 'image.PNG' }, { FileName: 'image.pNg' }],
    doesNotMatch: [{ FileName: 'image.jpg' }, { FileName: 'image.png.jpg' }],
  },
  {
    title: 'anything-but a string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    matches: [withDetail({ state: 'running' }), withDetail({ state: 'Initializing' })],
    doesNotMatch: [withDetail({ state: 'initializing' }), withDetail({})],
  },
  {
    title: 'anything-but a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    matches: [withDetail({ 'x-limit': 124 }), withDetail({ 'x-limit': 122.5 })],
    doesNotMatch: [withDetail({ 'x-limit': 123 }), withDetail({ 'x-limit': 1.23e2 }), withDetail({})],
  },
  {
    title: 'anything-but a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    matches: [withDetail({ state: 'running' })],
    doesNotMatch: [withDetail({ state: 'stopped' }), withDetail({ state: 'overloaded' })],
  },
  {
    title: 'anything-but a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    matches: [withDetail({ 'x-limit': 150 }), withDetail({ 'x-limit': 100.5 })],
    doesNotMatch: [withDetail({ 'x-limit': 100 }), withDetail({ 'x-limit': 200 }), withDetail({ 'x-limit': 3e2 })],
  },
  {
    title: 'anything-but a prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    matches: [withDetail({ state: 'running' }), withDetail({ state: 'pre-init' })],
    doesNotMatch: [withDetail({ state: 'initializing' }), withDetail({ state: 'init' })],
  },
  {
    title: 'anything-but a prefix (operator table: region not in the US)',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    matches: [{ Region: 'eu-west-2' }],
    doesNotMatch: [{ Region: 'us-east-1' }],
  },
  {
    title: 'anything-but a suffix',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
    matches: [withDetail({ FileName: 'notes.md' })],
    doesNotMatch: [withDetail({ FileName: 'notes.txt' })],
  },
  {
    title: 'anything-but a suffix (operator table: not a .png)',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    matches: [{ FileName: 'image.jpg' }],
    doesNotMatch: [{ FileName: 'image.png' }],
  },
  {
    title: 'anything-but ignoring case',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } },
    matches: [withDetail({ state: 'running' })],
    doesNotMatch: [withDetail({ state: 'stopped' }), withDetail({ state: 'STOPPED' }), withDetail({ state: 'overloaded' })],
  },
  {
    title: 'anything-but ignoring case (operator table: a single value)',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    matches: [{ state: 'running' }],
    doesNotMatch: [{ state: 'INITIALIZING' }, { state: 'initializing' }],
  },
  {
    title: 'anything-but a wildcard',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    matches: [{ FilePath: '/usr/bin/env' }, { FilePath: 'lib/x' }],
    doesNotMatch: [{ FilePath: '/usr/lib/x' }, { FilePath: 'a/lib/' }],
  },
  {
    title: 'anything-but a list of wildcards',
    pattern: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
    matches: [{ FilePath: '/usr/share/x' }],
    doesNotMatch: [{ FilePath: '/usr/lib/x' }, { FilePath: '/usr/bin/x' }],
  },
  {
    title: 'numeric matching: every field must hold',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    matches: [
      withDetail({ 'c-count': 5, 'd-count': 9.999, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 0.000001, 'd-count': -5e9, 'x-limit': 301.8 }),
    ],
    doesNotMatch: [
      withDetail({ 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 5.000001, 'd-count': 9, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 3, 'd-count': 10, 'x-limit': 301.8 }),
      withDetail({ 'c-count': 3, 'd-count': 9, 'x-limit': 301.9 }),
      withDetail({ 'c-count': '3', 'd-count': 9, 'x-limit': 301.8 }),
      withDetail({ 'd-count': 9, 'x-limit': 301.8 }),
    ],
  },
  {
    title: 'IP address matching with a CIDR block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    matches: [withDetail({ sourceIPAddress: '10.0.0.0' }), withDetail({ sourceIPAddress: '10.0.0.255' })],
    doesNotMatch: [
      withDetail({ sourceIPAddress: '10.0.1.0' }),
      withDetail({ sourceIPAddress: '9.255.255.255' }),
      withDetail({ sourceIPAddress: 'host' }),
    ],
  },
  {
    title: 'exists: true matches a leaf that is present',
    pattern: { detail: { state: [{ exists: true }] } },
    matches: [
      {
        version: '0',
        id: '7bf73129-1428-4cd3-a780-95db273d1602',
        'detail-type': 'EC2 Instance State-change Notification',
        source: 'aws.ec2',
        account: '123456789012',
        time: '2015-11-11T21:29:54Z',
        region: 'us-east-1',
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
        detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
      },
    ],
    doesNotMatch: [
      {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { 'c-count': { c1: 100 } },
      },
    ],
  },
  {
    title: 'exists: false matches a missing field, and an intermediate node, which is not a leaf',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    matches: [
      {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { state: ['initializing', 'running'] },
      },
      {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
      },
    ],
    doesNotMatch: [withDetail({ 'c-count': 1 }), withDetail({ 'c-count': null })],
  },
  {
    title: 'equals-ignore-case matching',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    matches: [ec2Event(), ec2Event({ 'detail-type': 'EC2 INSTANCE STATE-CHANGE NOTIFICATION' })],
    doesNotMatch: [ec2Event({ 'detail-type': 'EC2 Instance State-change Notification!' })],
  },
  {
    title: 'wildcard matching on an event bus ARN',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    matches: [
      { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
      { EventBusArn: 'arn:aws:events:us-east-1::event-bus/' },
    ],
    doesNotMatch: [{ EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }],
  },
  {
    title: 'wildcard matching (operator table: a .png inside "dir")',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    matches: [{ FileName: 'dir/a.png' }, { FileName: 'dir/sub/a.png' }, { FileName: 'dir/.png' }],
    doesNotMatch: [{ FileName: 'dir/a.jpg' }, { FileName: 'other/dir/a.png' }],
  },
  {
    title: 'complex example combining prefix, anything-but and numeric',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    matches: [ec2Event({ time: '2017-10-02T00:00:00Z' }, { state: 'running', 'c-count': 1, 'd-count': 2, 'x-limit': 150 })],
    doesNotMatch: [
      ec2Event({ time: '2017-10-02T00:00:00Z' }, { state: 'initializing', 'c-count': 1, 'd-count': 2, 'x-limit': 150 }),
      ec2Event({ time: '2017-10-02T00:00:00Z' }, { state: 'running', 'c-count': 1, 'd-count': 2, 'x-limit': 200 }),
      ec2Event({ time: '2017-10-03T00:00:00Z' }, { state: 'running', 'c-count': 1, 'd-count': 2, 'x-limit': 150 }),
    ],
  },
  {
    title: '$or across numeric conditions',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    matches: [withDetail({ 'c-count': 3 }), withDetail({ 'd-count': 1 }), withDetail({ 'x-limit': 301.8 })],
    doesNotMatch: [withDetail({ 'c-count': 6, 'd-count': 10, 'x-limit': 1 }), withDetail({})],
  },
  {
    title: '$or alongside a field',
    pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    matches: [
      { source: 'aws.cloudwatch', metricName: 'ReadLatency' },
      { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    ],
    doesNotMatch: [
      { source: 'aws.ec2', metricName: 'ReadLatency' },
      { source: 'aws.cloudwatch', metricName: 'WriteLatency', namespace: 'AWS/S3' },
    ],
  },
  {
    title: '$or nested inside $or',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], $or: [{ metricId: [1234, 4321] }, { spaceId: [1000, 2000, 3000] }] },
      ],
    },
    matches: [
      { source: 'aws.cloudwatch', metricName: 'CPUUtilization' },
      { source: 'aws.cloudwatch', metricType: 'MetricType', metricId: 4321 },
      { source: 'aws.cloudwatch', metricType: 'MetricType', spaceId: 3000 },
    ],
    doesNotMatch: [
      { source: 'aws.cloudwatch', metricType: 'MetricType', metricId: 1 },
      { source: 'aws.cloudwatch', metricId: 1234 },
    ],
  },
  {
    title: 'a key given twice: only the last is used',
    pattern: '{ "detail": { "location": [ { "prefix": "us-" } ], "location": [ { "anything-but": "us-east" } ] } }',
    matches: [withDetail({ location: 'eu-west' }), withDetail({ location: 'us-west' })],
    doesNotMatch: [withDetail({ location: 'us-east' })],
  },
  {
    title: 'operator table: and',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    matches: [{ Location: 'New York', Day: 'Monday' }],
    doesNotMatch: [{ Location: 'New York', Day: 'Tuesday' }, { Location: 'New York' }],
  },
  {
    title: 'operator table: or within a field',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    matches: [{ PaymentType: 'Credit' }, { PaymentType: 'Debit' }],
    doesNotMatch: [{ PaymentType: 'Cash' }],
  },
  {
    title: 'operator table: or across fields',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    matches: [
      { Location: 'New York', Day: 'Sunday' },
      { Location: 'Paris', Day: 'Monday' },
    ],
    doesNotMatch: [{ Location: 'Paris', Day: 'Sunday' }],
  },
  {
    title: 'operator table: equals and equals-ignore-case',
    pattern: { Name: ['Alice'] },
    matches: [{ Name: 'Alice' }],
    doesNotMatch: [{ Name: 'alice' }],
  },
  {
    title: 'operator table: equals-ignore-case',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    matches: [{ Name: 'Alice' }, { Name: 'ALICE' }],
    doesNotMatch: [{ Name: 'Alicia' }],
  },
  {
    title: 'operator table: exists and does not exist',
    pattern: { ProductName: [{ exists: true }], Discount: [{ exists: false }] },
    matches: [{ ProductName: 'Widget' }],
    doesNotMatch: [{ ProductName: 'Widget', Discount: 5 }, { Discount: 5 }],
  },
  {
    title: 'operator table: not',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    matches: [{ Weather: 'Sunny' }],
    doesNotMatch: [{ Weather: 'Raining' }],
  },
  {
    title: 'operator table: null',
    pattern: { UserID: [null] },
    matches: [{ UserID: null }],
    doesNotMatch: [{ UserID: '' }, {}],
  },
  {
    title: 'operator table: numeric equals and range',
    pattern: { Price: [{ numeric: ['=', 100] }], Weight: [{ numeric: ['>', 10, '<=', 20] }] },
    matches: [
      { Price: 100, Weight: 20 },
      { Price: 1e2, Weight: 10.5 },
    ],
    doesNotMatch: [
      { Price: 100, Weight: 10 },
      { Price: 100.5, Weight: 15 },
    ],
  },
  {
    title: 'arrays: the intersection of pattern and event arrays is not empty',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    matches: [
      {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
    ],
    doesNotMatch: [{ resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] }, { resources: [] }],
  },
  {
    title: 'empty strings and nulls are matched, and are not interchangeable',
    pattern: { detail: { eventVersion: [''], responseElements: [null] } },
    matches: [
      {
        version: '0',
        id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
        'detail-type': 'EC2 Instance Launch Successful',
        source: 'aws.autoscaling',
        account: '123456789012',
        time: '2015-11-11T21:31:47Z',
        region: 'us-east-1',
        resources: [],
        detail: { eventVersion: '', responseElements: null },
      },
    ],
    doesNotMatch: [withDetail({ eventVersion: null, responseElements: null }), withDetail({ eventVersion: '', responseElements: '' })],
  },
];

describe('documented EventBridge content filtering', () => {
  describe.each(documentedExamples)('$title', ({ pattern, matches, doesNotMatch }) => {
    const parsed = parseEventPattern(pattern);
    it.each(matches.map((event) => [JSON.stringify(event), event]))('matches %s', (_label, event) => {
      expect(matchesEventPattern(parsed, event)).toBe(true);
    });
    it.each(doesNotMatch.map((event) => [JSON.stringify(event), event]))('does not match %s', (_label, event) => {
      expect(matchesEventPattern(parsed, event)).toBe(false);
    });
  });
});

describe('matching details', () => {
  const matches = (pattern: unknown, event: unknown) => matchesEventPattern(parseEventPattern(pattern), event);

  it('compares numbers by value and never a number with a string', () => {
    expect(matches({ a: [300] }, { a: 3.0e2 })).toBe(true);
    expect(matches({ a: [300] }, { a: '300' })).toBe(false);
    expect(matches({ a: ['300'] }, { a: 300 })).toBe(false);
    expect(matches({ a: [true] }, { a: 'true' })).toBe(false);
    expect(matches({ a: [false] }, { a: false })).toBe(true);
  });

  it('requires the nesting of the pattern to be the nesting of the event', () => {
    expect(matches({ detail: { state: ['on'] } }, { state: 'on' })).toBe(false);
    expect(matches({ detail: { state: ['on'] } }, { detail: { state: { inner: 'on' } } })).toBe(false);
    expect(matches({ detail: { a: { b: { c: [1] } } } }, { detail: { a: { b: { c: 1, d: 2 } } } })).toBe(true);
  });

  it('matches an object pattern against one element of an array of objects at a time', () => {
    const event = {
      items: [
        { sku: 'a', size: 'L' },
        { sku: 'b', size: 'S' },
      ],
    };
    expect(matches({ items: { sku: ['a'], size: ['L'] } }, event)).toBe(true);
    expect(matches({ items: { sku: ['a'], size: ['S'] } }, event)).toBe(false);
  });

  it('looks into nested arrays of leaves', () => {
    expect(matches({ a: ['x'] }, { a: [['y'], ['x']] })).toBe(true);
  });

  it('treats an empty array, an object and a missing field alike for exists', () => {
    expect(matches({ a: [{ exists: false }] }, { a: [] })).toBe(true);
    expect(matches({ a: [{ exists: true }] }, { a: [] })).toBe(false);
    expect(matches({ a: [{ exists: true }] }, { a: [{ b: 1 }] })).toBe(false);
    expect(matches({ a: [{ exists: true }] }, { a: ['x'] })).toBe(true);
    expect(matches({ a: [{ exists: true }] }, { a: null })).toBe(true);
    expect(matches({ a: { b: [{ exists: false }] } }, {})).toBe(true);
    expect(matches({ a: { b: [{ exists: false }] } }, { a: 'leaf' })).toBe(true);
  });

  it('lets anything-but pass values of another type, but never a missing field', () => {
    expect(matches({ a: [{ 'anything-but': 'x' }] }, { a: 1 })).toBe(true);
    expect(matches({ a: [{ 'anything-but': [1, 2] }] }, { a: '1' })).toBe(true);
    expect(matches({ a: [{ 'anything-but': 'x' }] }, { a: ['x', 'y'] })).toBe(true);
    expect(matches({ a: [{ 'anything-but': 'x' }] }, { a: ['x'] })).toBe(false);
    expect(matches({ a: [{ 'anything-but': 'x' }] }, {})).toBe(false);
  });

  it('applies numeric matching only to numbers within ±5e9, to six decimal places', () => {
    expect(matches({ a: [{ numeric: ['>=', 0] }] }, { a: 5e9 })).toBe(true);
    expect(matches({ a: [{ numeric: ['>=', 0] }] }, { a: 5.1e9 })).toBe(false);
    expect(matches({ a: [{ numeric: ['=', 0.000001] }] }, { a: 0.0000014 })).toBe(true);
    expect(matches({ a: [{ numeric: ['<', 0] }] }, { a: -0.000001 })).toBe(true);
  });

  it('matches wildcards with literal escapes', () => {
    expect(matches({ a: [{ wildcard: 'a\\*b*' }] }, { a: 'a*bcd' })).toBe(true);
    expect(matches({ a: [{ wildcard: 'a\\*b*' }] }, { a: 'axbcd' })).toBe(false);
    expect(matches({ a: [{ wildcard: 'c:\\\\*' }] }, { a: 'c:\\temp' })).toBe(true);
    expect(matches({ a: [{ wildcard: '*' }] }, { a: '' })).toBe(true);
    expect(matches({ a: [{ wildcard: '*' }] }, { a: 1 })).toBe(false);
    expect(matches({ a: [{ wildcard: '*ab*ab*' }] }, { a: 'abab' })).toBe(true);
    expect(matches({ a: [{ wildcard: '*ab*ab*' }] }, { a: 'aba' })).toBe(false);
  });

  it('matches IPv6 CIDR blocks and keeps address families apart', () => {
    expect(matches({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:ffff::1' })).toBe(true);
    expect(matches({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' })).toBe(false);
    expect(matches({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '::1' })).toBe(false);
  });

  it('does not let a field called __proto__ escape the event', () => {
    const pattern = parseEventPattern('{"__proto__": {"polluted": ["yes"]}}');
    expect(matchesEventPattern(pattern, JSON.parse('{"__proto__": {"polluted": "yes"}}'))).toBe(true);
    expect(matchesEventPattern(pattern, {})).toBe(false);
  });
});

describe('parseEventPattern', () => {
  it('accepts the pattern as JSON text or as a value, and keeps an independent frozen copy', () => {
    const value = { source: ['fsp.referrals'] };
    const fromValue = parseEventPattern(value);
    value.source.push('mutated');
    expect(fromValue.json).toEqual({ source: ['fsp.referrals'] });
    expect(Object.isFrozen(fromValue.json)).toBe(true);
    expect(parseEventPattern('{"source": ["fsp.referrals"]}').json).toEqual({ source: ['fsp.referrals'] });
  });

  // Reasons as event-ruler's JsonRuleCompiler words them; AWS reports them after "Event pattern is not valid. Reason: ".
  it.each<[string, unknown, string]>([
    ['a non-object', '["source"]', 'Filter is not an object'],
    ['null', 'null', 'Filter is not an object'],
    ['a string', '"aws.ec2"', 'Filter is not an object'],
    ['an empty object', '{}', 'Empty objects are not allowed'],
    ['an empty nested object', '{"detail": {}}', 'Empty objects are not allowed'],
    ['a leaf that is not an array', '{"source": "aws.ec2"}', '"source" must be an object or an array'],
    ['a leaf that is a number', '{"detail": {"count": 1}}', '"count" must be an object or an array'],
    ['a leaf that is null', '{"source": null}', '"source" must be an object or an array'],
    ['an empty array', '{"source": []}', 'Empty arrays are not allowed'],
    ['an array inside a value list', '{"source": [["aws.ec2"]]}', 'Match value must be String, number, true, false, or null'],
    ['an unknown operator', '{"source": [{"foo": 1}]}', 'Unrecognized match type foo'],
    ['an empty match expression', '{"source": [{}]}', 'Match expression name not found'],
    ['two operators in one expression', '{"source": [{"prefix": "a", "suffix": "b"}]}', 'Only one key allowed in match expression'],
    ['a non-string prefix', '{"source": [{"prefix": 1}]}', 'prefix match pattern must be a string'],
    ['a null prefix', '{"source": [{"prefix": null}]}', 'prefix match pattern must be a string'],
    ['a non-string suffix', '{"source": [{"suffix": ["a"]}]}', 'suffix match pattern must be a string'],
    ['an empty prefix object', '{"source": [{"prefix": {}}]}', 'Prefix expression name not found'],
    ['an unsupported prefix variant', '{"source": [{"prefix": {"wildcard": "a"}}]}', 'Unsupported prefix pattern: wildcard'],
    ['an unsupported suffix variant', '{"source": [{"suffix": {"exists": true}}]}', 'Unsupported suffix pattern: exists'],
    [
      'a non-string ignore-case prefix',
      '{"source": [{"prefix": {"equals-ignore-case": 1}}]}',
      'equals-ignore-case match pattern must be a string',
    ],
    ['a non-string equals-ignore-case', '{"source": [{"equals-ignore-case": true}]}', 'equals-ignore-case match pattern must be a string'],
    ['numeric that is not an array', '{"n": [{"numeric": ">"}]}', 'Value of numeric must be an array.'],
    ['numeric without terms', '{"n": [{"numeric": []}]}', 'Invalid member in numeric match: ]'],
    ['numeric starting with a number', '{"n": [{"numeric": [5, ">"]}]}', 'Invalid member in numeric match: 5'],
    ['an unknown numeric operator', '{"n": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
    ['numeric = without a number', '{"n": [{"numeric": ["=", "5"]}]}', 'Value of equals must be numeric'],
    ['numeric = with two numbers', '{"n": [{"numeric": ["=", 5, 6]}]}', 'Too many elements in numeric expression'],
    ['numeric < without a number', '{"n": [{"numeric": ["<"]}]}', 'Value of < must be numeric'],
    ['numeric <= followed by more', '{"n": [{"numeric": ["<=", 5, ">", 1]}]}', 'Too many elements in numeric expression'],
    ['numeric > followed by a non-operator', '{"n": [{"numeric": [">", 0, 5]}]}', 'Bad value in numeric range: 5'],
    ['numeric > followed by >', '{"n": [{"numeric": [">", 0, ">", 5]}]}', 'Bad numeric range operator: >'],
    ['numeric range missing its top', '{"n": [{"numeric": [">", 0, "<"]}]}', 'Value of < must be numeric'],
    ['numeric range with extra terms', '{"n": [{"numeric": [">", 0, "<", 5, "<", 6]}]}', 'Too many terms in numeric range expression'],
    ['an empty numeric range', '{"n": [{"numeric": [">=", 5, "<=", 5]}]}', 'Bottom must be less than top'],
    ['an inverted numeric range', '{"n": [{"numeric": [">", 10, "<", 1]}]}', 'Bottom must be less than top'],
    ['a number above 5e9', '{"n": [{"numeric": ["=", 5000000001]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['a lower bound at the top of the range', '{"n": [{"numeric": [">", 5e9]}]}', 'Bottom must be less than top'],
    ['an upper bound below the range', '{"n": [{"numeric": ["<", -6e9]}]}', 'Bottom must be less than top'],
    ['seven decimal places', '{"n": [{"numeric": ["<", 0.0000001]}]}', 'Only values upto 6 decimals are supported'],
    ['a second key beside numeric', '{"n": [{"numeric": ["<", 1], "prefix": "a"}]}', 'Too many elements in numeric expression'],
    ['anything-but null', '{"s": [{"anything-but": null}]}', 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but true', '{"s": [{"anything-but": true}]}', 'Value of anything-but must be an array or single string/number value.'],
    [
      'anything-but with a boolean in its list',
      '{"s": [{"anything-but": ["a", false]}]}',
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but with prefix objects in its list',
      '{"s": [{"anything-but": [{"prefix": "abc-"}, {"prefix": "xyz-"}]}]}',
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but mixing strings and numbers',
      '{"s": [{"anything-but": ["a", 1]}]}',
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but with an empty list',
      '{"s": [{"anything-but": []}]}',
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    ['anything-but with an empty object', '{"s": [{"anything-but": {}}]}', 'Anything-But expression name not found'],
    ['anything-but numeric', '{"s": [{"anything-but": {"numeric": [">", 1]}}]}', 'Unsupported anything-but pattern: numeric'],
    ['anything-but exists', '{"s": [{"anything-but": {"exists": true}}]}', 'Unsupported anything-but pattern: exists'],
    ['anything-but a numeric prefix', '{"s": [{"anything-but": {"prefix": 1}}]}', 'prefix/suffix match pattern must be a string'],
    ['anything-but an empty prefix', '{"s": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
    ['anything-but an empty suffix in a list', '{"s": [{"anything-but": {"suffix": ["a", ""]}}]}', 'Null prefix/suffix not allowed'],
    ['anything-but an empty prefix list', '{"s": [{"anything-but": {"prefix": []}}]}', 'Empty arrays are not allowed'],
    [
      'anything-but a numeric equals-ignore-case',
      '{"s": [{"anything-but": {"equals-ignore-case": 1}}]}',
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    ['anything-but a numeric wildcard', '{"s": [{"anything-but": {"wildcard": [1]}}]}', 'wildcard match pattern must be a string'],
    ['anything-but a bad wildcard', '{"s": [{"anything-but": {"wildcard": "a**"}}]}', 'Consecutive wildcard characters at pos 2'],
    [
      'anything-but with two variants',
      '{"s": [{"anything-but": {"prefix": "a", "suffix": "b"}}]}',
      'Too many elements in numeric expression',
    ],
    ['anything-but a number over the limit', '{"s": [{"anything-but": [1, 6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['exists that is not a boolean', '{"s": [{"exists": "true"}]}', 'exists match pattern must be either true or false.'],
    ['exists beside another key', '{"s": [{"exists": true, "prefix": "a"}]}', 'Only one key allowed in match expression'],
    ['a non-string wildcard', '{"s": [{"wildcard": 1}]}', 'wildcard match pattern must be a string'],
    ['consecutive wildcards', '{"s": [{"wildcard": "ab**"}]}', 'Consecutive wildcard characters at pos 3'],
    ['an escape of another character', '{"s": [{"wildcard": "a\\\\b"}]}', 'Invalid escape character at pos 2'],
    ['a trailing backslash', '{"s": [{"wildcard": "ab\\\\"}]}', 'Invalid escape character at pos 3'],
    ['consecutive wildcards after multi-byte text', '{"s": [{"wildcard": "é**"}]}', 'Consecutive wildcard characters at pos 3'],
    ['a non-string cidr', '{"ip": [{"cidr": 10}]}', 'prefix match pattern must be a string'],
    ['a cidr without a mask', '{"ip": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
    ['a cidr with an empty mask', '{"ip": [{"cidr": "10.0.0.0/"}]}', "Malformed CIDR, one '/' required"],
    ['a cidr with a text mask', '{"ip": [{"cidr": "10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
    ['a cidr with a negative mask', '{"ip": [{"cidr": "10.0.0.0/-1"}]}', 'Malformed CIDR, mask bits must not be negative'],
    ['a cidr that is a host name', '{"ip": [{"cidr": "example.com/8"}]}', 'Nonstandard IP address: example.com'],
    ['a cidr with an octet over 255', '{"ip": [{"cidr": "10.0.0.256/24"}]}', 'Invalid IP address: 10.0.0.256'],
    ['an IPv4 /32', '{"ip": [{"cidr": "10.0.0.1/32"}]}', 'IPv4 mask bits must be < 32'],
    ['an IPv6 /128', '{"ip": [{"cidr": "::1/128"}]}', 'IPv6 mask bits must be < 128'],
    ['$or that is not an array', '{"$or": {"a": ["b"]}}', 'It must be an Array followed with $or.'],
    ['$or holding a non-object', '{"$or": [{"a": ["b"]}, ["c"]]}', 'Only JSON object is allowed in array of $or relationship.'],
    ['$or with one alternative', '{"$or": [{"a": ["b"]}]}', 'There must have at least 2 Objects in $or relationship.'],
    ['$or with no alternatives', '{"$or": []}', 'There must have at least 2 Objects in $or relationship.'],
    ['$or with an empty alternative', '{"$or": [{"a": ["b"]}, {}]}', 'Empty objects are not allowed'],
    [
      'an operator name as a field inside $or',
      '{"$or": [{"prefix": ["b"]}, {"c": ["d"]}]}',
      'prefix is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    [
      'a reserved name nested inside $or',
      '{"$or": [{"a": {"numeric": ["b"]}}, {"c": ["d"]}]}',
      'numeric is Ruler reserved fieldName which cannot be used inside $or.',
    ],
    ['an invalid alternative', '{"$or": [{"a": ["b"]}, {"c": [{"prefix": 1}]}]}', 'prefix match pattern must be a string'],
  ])('refuses %s', (_description, pattern, reason) => {
    const attempt = () => parseEventPattern(pattern);
    expect(attempt).toThrow(InvalidEventPatternError);
    expect(attempt).toThrow(`Event pattern is not valid. Reason: ${reason}`);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidEventPatternError).reason).toBe(reason);
    }
  });

  it('accepts operator names as ordinary field names outside $or', () => {
    expect(matchesEventPattern(parseEventPattern({ prefix: ['a'] }), { prefix: 'a' })).toBe(true);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseEventPattern('{"source": [')).toThrow(/^Event pattern is not valid\. Reason: /);
    expect(() => parseEventPattern('')).toThrow(InvalidEventPatternError);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function inside', { source: [() => 'x'] }],
    ['undefined inside', { source: [undefined] }],
    ['NaN inside', { n: [Number.NaN] }],
    ['a Date inside', { time: [new Date(0)] }],
    ['a Map', new Map([['source', ['x']]])],
    ['a bigint inside', { n: [1n] }],
    ['a sparse array', { source: Object.assign(new Array<unknown>(2), { 1: 'x' }) }],
  ])('refuses a value that is not JSON: %s', (_description, pattern) => {
    expect(() => parseEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });

  it('refuses a cyclic value', () => {
    const cyclic: Record<string, unknown> = { source: ['x'] };
    cyclic.detail = cyclic;
    expect(() => parseEventPattern(cyclic)).toThrow(/refers back to itself/);
  });
});
