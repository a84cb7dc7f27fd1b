import { interpretBatchResponse } from '../../../src/queues/sqs-event';

const batch = new Set(['a', 'b']);

describe('reading a consumer result as Lambda does with ReportBatchItemFailures', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
  ])('treats %s as complete success', (_label, result) => {
    expect(interpretBatchResponse(result, batch)).toEqual({ kind: 'all-succeeded' });
  });

  it('retries exactly the listed items', () => {
    expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }] }, batch)).toEqual({
      kind: 'some-failed',
      failedIds: new Set(['b']),
    });
  });

  it.each([
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'a' }] }],
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'z' }] }],
    ['a string', 'ok'],
  ])('fails the whole batch for %s', (_label, result) => {
    expect(interpretBatchResponse(result, batch)).toMatchObject({ kind: 'invalid' });
  });
});
