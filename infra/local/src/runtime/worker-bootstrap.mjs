// One Lambda-like execution environment: loads a function's entry module once (its cold start)
// and runs invocations the parent posts. Plain ESM so it loads without a TypeScript loader. The
// function is its esbuild bundle (function-bundles.ts, ADR 0027), as in Lambda, or, when it has
// none (the runtime's own tests' fixtures), its TypeScript entry compiled on the fly by tsx.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { entry, bundle, functionName, memoryMb, region, accountId, clockOffset, tableGuard } = workerData;

if (bundle === undefined) {
  const { register: registerCommonJs } = await import('tsx/cjs/api');
  const { register: registerEsm } = await import('tsx/esm/api');
  // TypeScript in this repo compiles to CommonJS (no "type": "module"), so both loaders need the hook.
  registerCommonJs();
  registerEsm();
}

// The function's declared table access, enforced as IAM would before its code loads (table-guard.ts, ADR 0023).
if (tableGuard !== undefined) {
  const { installTableGuard } = tableGuard.bundle ? createRequire(import.meta.url)(tableGuard.bundle) : await import('./table-guard.ts');
  installTableGuard(entry, { functionId: functionName, tableName: process.env.TABLE_NAME, ...tableGuard.options });
}

// The wall clock the function reads, shifted by the offset the parent holds in shared memory
// (FunctionRuntime.setClockOffset; 0 unless `npm start -- --seed` is loading referrals received
// days ago). Installed before the entry loads, so every `new Date()` and `Date.now()` in the
// function and its libraries agrees; dates built from a value, and durations, are untouched.
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const offsetMs = new BigInt64Array(clockOffset);
const shiftedNow = () => realNow() + Number(Atomics.load(offsetMs, 0));
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
  apply: () => new RealDate(shiftedNow()).toString(),
});
RealDate.now = shiftedNow;

function serialiseError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'NonErrorThrown', message: String(error) };
}

let handler;
try {
  const module = bundle === undefined ? await import(pathToFileURL(entry).href) : createRequire(import.meta.url)(bundle);
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
    // The deadline is the parent's real time, whatever the function's clock says.
    getRemainingTimeInMillis: () => Math.max(0, deadline - realNow()),
  };
  try {
    const result = await handler(event, context);
    parentPort.postMessage({ type: 'result', invocationId, result: result === undefined ? null : result });
  } catch (error) {
    parentPort.postMessage({ type: 'error', invocationId, error: serialiseError(error) });
  }
});
