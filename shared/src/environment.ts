/**
 * Reading a function's environment: validated once at cold start, so a wiring mistake fails the
 * start-up naming the variable and what it should be, never the first request with `undefined`.
 * Service code reads its variables through `readEnvironment` (or `shared/runtime` for the
 * platform's own), never `process.env` directly.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** One variable: its schema, and what it should hold and who sets it, for the error message. */
export interface EnvironmentVariable<S extends core.$ZodType = core.$ZodType> {
  schema: S;
  /** "a team id, set by the notifications manifest's environment" */
  expected: string;
}

export const variable = <S extends core.$ZodType>(schema: S, expected: string): EnvironmentVariable<S> => ({ schema, expected });

type Values<V extends Record<string, EnvironmentVariable>> = { [K in keyof V]: core.output<V[K]['schema']> };

/**
 * The named variables, each validated by its own schema. Throws a ConfigurationError naming every
 * variable that is missing or wrong (names and expectations only: values may be secrets).
 */
export function readEnvironment<const V extends Record<string, EnvironmentVariable>>(
  variables: V,
  env: NodeJS.ProcessEnv = process.env,
): Values<V> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, { schema, expected }] of Object.entries(variables)) {
    const parsed = z.safeParse(schema, env[name]);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name} must be ${expected}`);
  }
  if (problems.length > 0) throw new ConfigurationError(`The function's environment is not usable: ${problems.join('; ')}`);
  return values as Values<V>;
}
