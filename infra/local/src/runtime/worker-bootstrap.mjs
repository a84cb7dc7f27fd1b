// One Lambda-like execution environment: loads a function's entry module once (its cold start)
// and runs invocations the parent posts. Plain ESM so it loads without a TypeScript loader; the
// entry itself is TypeScript, compiled on the fly by tsx exactly as `npm start` runs everything.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register as registerEsm } from 'tsx/esm/api';

// TypeScript in this repo compiles to CommonJS (no "type": "module"), so both loaders need the hook.
registerCommonJs();
registerEsm();

const { entry, functionName, memoryMb, region, accountId } = workerData;

function serialiseError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'NonErrorThrown', message: String(error) };
}

let handler;
try {
  const module = await import(pathToFileURL(entry).href);
  handler = module.handler ?? module.default?.handler;
  if (typeof handler !== 'function') throw new Error(`${entry} does not export a function named "handler"`);
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: serialiseError(error) });
}

parentPort.on('message', async ({ invocationId, event, deadline }) => {
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: invocationId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    parentPort.postMessage({ type: 'result', invocationId, result: result === undefined ? null : result });
  } catch (error) {
    parentPort.postMessage({ type: 'error', invocationId, error: serialiseError(error) });
  }
});
