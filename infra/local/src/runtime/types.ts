/**
 * How the local cloud's parts invoke function code. The gateway, the queue pollers and the
 * scheduler all call `invoke` with the event shape AWS would give the Lambda, and get back what
 * the handler returned (or a rejected promise when it threw or timed out).
 */
export type Invoke = (functionId: string, event: unknown) => Promise<unknown>;

/** `<service>-<function name>`, as the CDK app names the Lambda too. */
export const functionIdOf = (service: string, functionName: string): string => `${service}-${functionName}`;
