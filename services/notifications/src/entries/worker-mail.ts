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
 * PUBLIC_ORIGIN (every function that emails has it, in AWS and locally) is read at the first run, not
 * at load: a run without it fails naming it, and sends nothing.
 */
let run: ReturnType<typeof createWorkerMailSchedule> | undefined;
export const handler: ReturnType<typeof createWorkerMailSchedule> = (event, context) => {
  if (run === undefined) {
    const { PUBLIC_ORIGIN, SES_CONFIGURATION_SET } = readEnvironment({
      PUBLIC_ORIGIN: variable(z.url(), 'the workers’ web app origin (https://…): every link in an email is absolute'),
      // In AWS the set publishing each email's Send and Bounce events (ADR 0019); the local mail outbox publishes them without one.
      SES_CONFIGURATION_SET: variable(z.optional(z.string().check(z.minLength(1))), 'the SES configuration set’s name'),
    });
    run = createWorkerMailSchedule(runtime, {
      sendEmail,
      directory,
      origin: PUBLIC_ORIGIN,
      ...(SES_CONFIGURATION_SET === undefined ? {} : { configurationSet: SES_CONFIGURATION_SET }),
    });
  }
  return run(event, context);
};
