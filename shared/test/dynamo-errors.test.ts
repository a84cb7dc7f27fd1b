import { failedConditionsOf, isConditionalCheckFailed, isTransactionConflict } from '@fsp/shared/dynamo-errors';

function cancelled(...codes: string[]): Error {
  const error = new Error('Transaction cancelled');
  error.name = 'TransactionCanceledException';
  return Object.assign(error, { CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe("reading DynamoDB's refusals", () => {
  it('names the writes whose conditions failed, and only when nothing else cancelled the transaction', () => {
    expect(failedConditionsOf(cancelled('None', 'ConditionalCheckFailed'))).toEqual([1]);
    expect(failedConditionsOf(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBeUndefined();
    expect(failedConditionsOf(new Error('network'))).toBeUndefined();
  });

  it('calls a transaction a conflict to retry only when no condition failed', () => {
    expect(isTransactionConflict(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransactionConflict(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isTransactionConflict(cancelled('None', 'ThrottlingError'))).toBe(false);
    expect(isTransactionConflict(new Error('TransactionConflict'))).toBe(false);
  });

  it('recognises a single write refused by its condition by name, whichever SDK copy threw it', () => {
    const refused = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    expect(isConditionalCheckFailed(refused)).toBe(true);
    expect(isConditionalCheckFailed(cancelled('ConditionalCheckFailed'))).toBe(false);
  });
});
