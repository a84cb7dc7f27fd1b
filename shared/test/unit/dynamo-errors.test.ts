import {
  failedConditionsOf,
  isConditionalCheckFailed,
  isTransactionConflict,
  retryingTransactionConflicts,
} from '@fsp/shared/dynamo-errors';

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

describe('retrying a transaction that only conflicted', () => {
  it('tries again until it goes through', async () => {
    let calls = 0;
    const result = await retryingTransactionConflicts(
      async () => {
        calls += 1;
        if (calls < 4) throw cancelled('None', 'TransactionConflict');
        return 'written';
      },
      { baseDelayMs: 1 },
    );
    expect([result, calls]).toEqual(['written', 4]);
  });

  it('gives up after the attempts it was given, throwing the last conflict', async () => {
    let calls = 0;
    const conflicting = async () => {
      calls += 1;
      throw cancelled('TransactionConflict');
    };
    await expect(retryingTransactionConflicts(conflicting, { attempts: 3, baseDelayMs: 1 })).rejects.toThrow('Transaction cancelled');
    expect(calls).toBe(3);
  });

  it('does not retry a failed condition or any other error', async () => {
    for (const error of [cancelled('ConditionalCheckFailed', 'TransactionConflict'), new Error('network')]) {
      let calls = 0;
      await expect(
        retryingTransactionConflicts(async () => {
          calls += 1;
          throw error;
        }),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });
});
