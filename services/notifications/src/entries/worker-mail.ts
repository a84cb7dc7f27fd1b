/** Lambda entry of the manifest's `worker-mail` function (schedule `worker-mail`): workers' email, at once and in digests. */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { readEnvironment, variable } from '@fsp/shared/environment';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { createSesEmailSender } from '../adapters/ses-email-sender';
import { createWorkerMailSchedule } from '../schedules/worker-mail';
import { WORKER_MAIL_FROM } from '../worker-mail-manifest';

const runtime = serviceRuntimeFromEnvironment('notifications');
// Once per environment, so the directory's five-minute cache outlives one run (shared/src/directory.ts).
const directory = directoryFromEnvironment();
const sendEmail = createSesEmailSender(WORKER_MAIL_FROM);

/**
 * PUBLIC_ORIGIN is read at the first run, not at load: the local cloud gives it to every function,
 * but the CDK app so far only to functions serving pages (ADR 0019, Consequences). A run without it
 * fails naming it, and sends nothing.
 */
let run: ReturnType<typeof createWorkerMailSchedule> | undefined;
export const handler: ReturnType<typeof createWorkerMailSchedule> = (event, context) => {
  if (run === undefined) {
    const { PUBLIC_ORIGIN } = readEnvironment({
      PUBLIC_ORIGIN: variable(z.url(), 'the workers’ web app origin (https://…): every link in an email is absolute'),
    });
    run = createWorkerMailSchedule(runtime, { sendEmail, directory, origin: PUBLIC_ORIGIN });
  }
  return run(event, context);
};
