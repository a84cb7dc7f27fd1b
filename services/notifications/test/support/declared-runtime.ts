/**
 * A runtime held to one notifications function's table declaration (manifest `permissions.tableKeys`,
 * ADR 0023) as the local cloud's table guard holds the deployed function: each command its document
 * client sends is read as IAM reads it and checked first, with the guard's own code
 * (infra/local/src/runtime/table-guard.ts), and one the declaration does not allow is refused with
 * an AccessDeniedException before it reaches DynamoDB Local. An in-process test of a function made
 * on this runtime therefore also shows that its declaration covers what the test makes it do.
 */
import { AccessDeniedException, refusalOf, requestsOf } from '@fsp/infra/local/runtime/table-guard';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { manifest } from '../../service';

type Send = (command: { constructor: { name: string }; input?: Record<string, unknown> }, ...rest: unknown[]) => Promise<unknown>;

export function heldToDeclaration<R extends Pick<ServiceRuntime, 'documents' | 'tableName'>>(runtime: R, functionName: string): R {
  const fn = resolveManifest(manifest).functions.find((candidate) => candidate.name === functionName);
  if (fn === undefined) throw new Error(`notifications has no function ${functionName}`);
  const options = { tableName: runtime.tableName, tableKeys: fn.permissions.tableKeys, readAudit: fn.permissions.readAudit === true };
  const documents = runtime.documents;
  const send = documents.send.bind(documents) as unknown as Send;
  const guardedSend: Send = (command, ...rest) => {
    for (const request of requestsOf(command.constructor.name, command.input ?? {})) {
      const refusal = refusalOf(request, options);
      if (refusal !== undefined)
        return Promise.reject(new AccessDeniedException(`notifications-${functionName} is not authorized: ${refusal}`));
    }
    return send(command, ...rest);
  };
  const guarded = new Proxy(documents, {
    get: (target, property, receiver) => (property === 'send' ? guardedSend : Reflect.get(target, property, receiver)),
  });
  return { ...runtime, documents: guarded };
}
