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

export interface ConflictRetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** The first pause's upper bound; each later one doubles, up to a second. */
  baseDelayMs?: number;
}

/**
 * Runs `write` again while it fails only by conflicting with concurrent transactions (a hot item:
 * an agency's rate counter, a mailbox's counter), pausing a random time below an exponentially
 * growing bound ("full jitter"), so that a burst spreads out instead of colliding again in step.
 * Anything else, and the last conflict, is thrown to the caller.
 */
export async function retryingTransactionConflicts<T>(write: () => Promise<T>, options: ConflictRetryOptions = {}): Promise<T> {
  // Six tries pause at most about a third of a second in all: a request that still conflicts
  // answers "busy, send it again" (503) well inside its function's timeout.
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 10;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      const bound = Math.min(1_000, baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
    }
  }
}
