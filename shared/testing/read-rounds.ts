/**
 * Counting the rounds of reads a request makes (WEB.md: a page answers in one round of reads from
 * its own table): a call to DynamoDB started after another finished is a round later.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function countingRounds(documents: DynamoDBDocumentClient) {
  let finishedRound = 0;
  let rounds = 0;
  const counted = new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<DynamoDBDocumentClient['send']>) => {
        const round = finishedRound + 1;
        rounds = Math.max(rounds, round);
        try {
          return await (target.send as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          finishedRound = Math.max(finishedRound, round);
        }
      };
    },
  });
  return {
    documents: counted,
    /** Rounds since the last call. */
    take: () => {
      const taken = rounds;
      rounds = 0;
      finishedRound = 0;
      return taken;
    },
  };
}
