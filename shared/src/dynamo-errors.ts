/**
 * Reading DynamoDB's refusals. A conditional write that fails is usually an answer, not a fault:
 * "already exists" makes a consumer idempotent, "version moved" is a 409. Everything else is
 * rethrown by the caller.
 */

/** `PutItem`/`UpdateItem`/`DeleteItem` refused by their ConditionExpression. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * For a cancelled `TransactWriteItems`, the positions (in the order the items were sent) whose
 * condition failed; `undefined` when the error is anything else, including a transaction
 * cancelled for another reason (a conflict with a concurrent transaction, throttling), which the
 * caller should not mistake for a failed condition.
 */
export function failedConditionsOf(error: unknown): number[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (!reasons) return undefined;
  const failed: number[] = [];
  let otherReason = false;
  reasons.forEach((reason, index) => {
    if (reason.Code === 'ConditionalCheckFailed') failed.push(index);
    else if (reason.Code && reason.Code !== 'None') otherReason = true;
  });
  return failed.length > 0 && !otherReason ? failed : undefined;
}

/**
 * A transaction cancelled only because another transaction touched one of its items at the same
 * moment (a hot counter) wrote nothing; trying it again after a short random pause is safe.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons.some((reason) => reason.Code === 'TransactionConflict') && !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}
