/**
 * The supervision JSON routes (declared in ./routes.ts, which says which roles are admitted): the
 * same store, gate and rules as the pages. A case's supervision is seen by the workers allocated to
 * it and the team holding it (anyone else: 404, as for an unknown case, audited DENIED); the record
 * and its date are the chair's (the team manager of the holding team); an action is completed by
 * its owner or that team manager. Bodies are checked with zod and then by the domain, each problem
 * naming its field (`$.actions[0].dueDate`).
 */
import { randomUUID } from 'node:crypto';
import type { Directory } from '@fsp/shared/directory';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { mayChair, mayCompleteAction, mayReadTeam } from '../domain/access';
import { isActionOverdue } from '../domain/actions';
import { checkConsultation, consultationInputSchema } from '../domain/consultation';
import type { FieldError } from '../domain/fields';
import { allocatedWorkerIds, type Supervision } from '../domain/model';
import { amendmentInputSchema, checkAmendment, checkRecord, recordInputSchema } from '../domain/record';
import { checkReschedule, rescheduleInputSchema } from '../domain/reschedule';
import { createSupervisionStore } from '../store/supervision-store';
import { routes } from './routes';
import { createSupervisionGate, nameOf, type OpenedCase, routeKeyOf } from './supervision-gate';

// Case supervision records are about a family: never kept by a shared or browser cache.
const PRIVATE = { 'cache-control': 'no-store' };

const caseParams = z.lazy(() => z.object({ caseId: idSchema }));
const recordParams = z.lazy(() => z.object({ caseId: idSchema, sequence: z.coerce.number().check(z.int(), z.gte(1), z.lte(9999)) }));
const versioned = z.lazy(() =>
  z.looseObject({ expectedVersion: z.number('Send expectedVersion: the version you read').check(z.int(), z.gte(0)) }),
);

const NOT_FOUND = 'There are no supervisions of such a case that you can see.';

/** The domain's field problems as the API's (`$.field`, `$.actions[2].what`). */
const problems = (errors: readonly FieldError[]) =>
  new ValidationFailed(
    errors.map((error) => ({
      in: 'body' as const,
      path: error.field === 'actions' && error.index !== undefined ? `$.actions[${error.index}]` : `$.${error.field}`,
      message: error.message,
    })),
  );

const shapeProblems = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  new ValidationFailed(
    issues.map((issue) => ({
      in: 'body' as const,
      path: `$${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`,
      message: issue.message,
    })),
  );

/** What the JSON shows of a supervision: its record only once completed, or to the chair while a draft. */
const supervisionJson = (supervision: Supervision, chair: boolean) => {
  const { record, ...rest } = supervision;
  return { id: supervision.supervisionId, ...rest, ...(record && (chair || record.recordStatus === 'completed') ? { record } : {}) };
};

export interface WorkerRouteOptions {
  directory?: Directory;
}

export function workerRoutes(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  options: WorkerRouteOptions = {},
): Route[] {
  const store = createSupervisionStore(runtime);
  const gate = createSupervisionGate(runtime);
  const directory = options.directory;

  const reading = (claims: Parameters<typeof gate.open>[1]['reader'], requestId: string, route: { method: string; path: string }) => ({
    reader: claims,
    requestId,
    what: routeKeyOf(route),
  });

  async function openCase(caseId: string, request: ReturnType<typeof reading>): Promise<OpenedCase> {
    const opened = await gate.open(caseId, request);
    if (!opened) throw new NotFound(NOT_FOUND);
    return opened;
  }

  function supervisionOf(opened: OpenedCase, sequence: number): Supervision {
    const supervision = opened.found.supervisions.find((candidate) => candidate.sequence === sequence);
    if (!supervision) throw new NotFound('The case has no supervision with that number.');
    return supervision;
  }

  const requireChair = (opened: OpenedCase, claims: { teamId: string; roles: readonly string[] }) => {
    if (!mayChair(claims as never, opened.found.supervisedCase)) {
      throw new Forbidden('Only the team manager of the team holding the case chairs its group supervision.');
    }
  };

  async function ownerNames(ids: readonly string[]): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    for (const id of new Set(ids)) {
      const worker = directory ? await directory.worker(id) : undefined;
      names[id] = worker?.name ?? 'A worker no longer in the directory';
    }
    return names;
  }

  const contextOf = (opened: OpenedCase, userId: string) => ({
    now: runtime.clock(),
    ...(opened.found.supervisedCase.openedAt ? { openedAt: opened.found.supervisedCase.openedAt } : {}),
    chairId: userId,
    allocatedWorkerIds: allocatedWorkerIds(opened.found.supervisedCase.allocation),
  });

  const staleConflict = (version: number) =>
    new Conflict(`Someone else changed this record since you read it: it is now at version ${version}. Read it again.`, {
      extensions: { currentVersion: version },
    } as never);

  return [
    defineRoute(routes.caseSupervisions, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.caseSupervisions));
        const { found } = opened;
        const chair = mayChair(claims, found.supervisedCase);
        const head = found.supervisedCase;
        return json(
          200,
          {
            caseId: head.caseId,
            teamId: head.teamId,
            ...(head.reference ? { reference: head.reference } : {}),
            ...(head.closedAt ? { closedAt: head.closedAt } : {}),
            ...(head.lastRating ? { lastRating: head.lastRating, lastHeldOn: head.lastHeldOn } : {}),
            ratings: head.ratings,
            supervisions: found.supervisions.map((supervision) => supervisionJson(supervision, chair)),
            amendments: found.amendments,
            actions: found.actions,
            consultations: found.consultations,
          },
          PRIVATE,
        );
      },
    }),

    defineRoute(routes.teamAgenda, {
      params: z.object({ teamId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const { teamId } = params;
        // Which teams exist is not a secret; what they discuss is. So: 403, not 404.
        if (!mayReadTeam(claims, teamId)) throw new Forbidden('You can see the supervision agenda of your own team only.');
        const [agenda, openActions] = await Promise.all([store.teamAgenda(teamId), store.teamOpenActions(teamId)]);
        await gate.teamRead(teamId, reading(claims, requestId, routes.teamAgenda));
        return json(
          200,
          {
            teamId,
            supervisions: agenda.map((supervision) => ({
              ...supervisionJson(supervision, false),
              openActions: openActions.filter((action) => action.caseId === supervision.caseId),
            })),
          },
          PRIVATE,
        );
      },
    }),

    defineRoute(routes.saveRecord, {
      params: recordParams,
      body: versioned,
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.saveRecord));
        requireChair(opened, claims);
        const supervision = supervisionOf(opened, params.sequence);
        const input = recordInputSchema.safeParse(body);
        if (!input.success) throw shapeProblems(input.error.issues);
        const checked = checkRecord(input.data, contextOf(opened, claims.userId), 'draft');
        if (!checked.ok) throw problems(checked.errors);
        const result = await store.saveDraft(params.caseId, supervision.sequence, {
          expectedVersion: body.expectedVersion,
          content: checked.content,
          chair: { userId: claims.userId, name: nameOf(claims) },
          now: runtime.clock(),
        });
        switch (result.kind) {
          case 'saved':
            return json(
              200,
              { caseId: params.caseId, sequence: supervision.sequence, recordStatus: 'draft', version: result.version },
              PRIVATE,
            );
          case 'stale':
            throw staleConflict(result.version);
          case 'already-completed':
            throw new Conflict('The record is already completed: amend it instead.');
          case 'cancelled':
            throw new Conflict('The supervision was cancelled when the case closed.');
          default:
            throw new NotFound('The case has no supervision with that number.');
        }
      },
    }),

    defineRoute(routes.completeRecord, {
      params: recordParams,
      body: versioned,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.completeRecord));
        requireChair(opened, claims);
        const supervision = supervisionOf(opened, params.sequence);
        if (supervision.record?.recordStatus === 'completed') {
          return json(
            200,
            { caseId: params.caseId, sequence: supervision.sequence, recordStatus: 'completed', alreadyCompleted: true },
            PRIVATE,
          );
        }
        const input = recordInputSchema.safeParse(body);
        if (!input.success) throw shapeProblems(input.error.issues);
        const checked = checkRecord(input.data, contextOf(opened, claims.userId), 'complete');
        if (!checked.ok) throw problems(checked.errors);
        const result = await store.complete(params.caseId, supervision.sequence, {
          expectedVersion: body.expectedVersion,
          content: checked.content,
          chair: { userId: claims.userId, name: nameOf(claims) },
          ownerNames: await ownerNames(checked.content.actions.map((action) => action.ownerId)),
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        switch (result.kind) {
          case 'completed':
            return json(
              200,
              {
                caseId: params.caseId,
                sequence: supervision.sequence,
                recordStatus: 'completed',
                version: result.version,
                ...(result.next ? { next: supervisionJson(result.next, false) } : {}),
              },
              PRIVATE,
            );
          case 'already-completed':
            return json(
              200,
              { caseId: params.caseId, sequence: supervision.sequence, recordStatus: 'completed', alreadyCompleted: true },
              PRIVATE,
            );
          case 'stale':
            throw staleConflict(result.version);
          case 'cancelled':
            throw new Conflict('The supervision was cancelled when the case closed.');
          default:
            throw new NotFound('The case has no supervision with that number.');
        }
      },
    }),

    defineRoute(routes.amendRecord, {
      params: recordParams,
      body: versioned,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.amendRecord));
        requireChair(opened, claims);
        const supervision = supervisionOf(opened, params.sequence);
        const record = supervision.record;
        if (record?.recordStatus !== 'completed') throw new Conflict('The record is not completed yet: save or complete it instead.');
        const input = amendmentInputSchema.safeParse(body);
        if (!input.success) throw shapeProblems(input.error.issues);
        const checked = checkAmendment(input.data, { ...contextOf(opened, claims.userId), completed: record });
        if (!checked.ok) throw problems(checked.errors);
        const result = await store.amend(params.caseId, supervision.sequence, {
          expectedVersion: body.expectedVersion,
          content: checked.content,
          reason: checked.reason,
          by: { userId: claims.userId, name: nameOf(claims) },
          ownerNames: await ownerNames(checked.content.actions.map((action) => action.ownerId)),
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        switch (result.kind) {
          case 'amended':
            return json(200, { caseId: params.caseId, sequence: supervision.sequence, version: result.version }, PRIVATE);
          case 'stale':
            throw staleConflict(result.version);
          case 'not-completed':
            throw new Conflict('The record is not completed yet: save or complete it instead.');
          default:
            throw new NotFound('The case has no supervision with that number.');
        }
      },
    }),

    defineRoute(routes.reschedule, {
      params: recordParams,
      body: versioned,
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.reschedule));
        requireChair(opened, claims);
        const supervision = supervisionOf(opened, params.sequence);
        const input = rescheduleInputSchema.safeParse(body);
        if (!input.success) throw shapeProblems(input.error.issues);
        const checked = checkReschedule(input.data, { now: runtime.clock() });
        if (!checked.ok) throw problems(checked.errors);
        const result = await store.reschedule(params.caseId, supervision.sequence, {
          expectedVersion: body.expectedVersion,
          scheduledDate: checked.scheduledDate,
          reason: checked.reason,
          by: { userId: claims.userId, name: nameOf(claims) },
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        switch (result.kind) {
          case 'rescheduled':
            return json(200, supervisionJson(result.supervision, true), PRIVATE);
          case 'stale':
            throw staleConflict(result.version);
          case 'not-scheduled':
            throw new Conflict('The supervision is no longer scheduled: it was held or cancelled.');
          default:
            throw new NotFound('The case has no supervision with that number.');
        }
      },
    }),

    defineRoute(routes.myActions, {
      handle: async ({ claims, requestId }) => {
        const actions = await store.myActions(claims.teamId, claims.userId);
        await gate.teamRead(claims.teamId, reading(claims, requestId, routes.myActions));
        return json(200, { actions }, PRIVATE);
      },
    }),

    defineRoute(routes.completeAction, {
      params: z.object({ caseId: idSchema, actionId: idSchema }),
      handle: async ({ params, claims, requestId, correlationId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.completeAction));
        const action = opened.found.actions.find((candidate) => candidate.actionId === params.actionId);
        if (!action) throw new NotFound('The case has no such action.');
        if (!mayCompleteAction(claims, action)) throw new Forbidden('Only the action’s owner or the team manager can mark it as done.');
        const result = await store.completeAction(params.caseId, action.actionId, {
          by: claims.userId,
          now: runtime.clock(),
          correlationId,
          causationId: requestId,
        });
        if (result.kind === 'no-such-action') throw new NotFound('The case has no such action.');
        return json(
          200,
          { actionId: action.actionId, status: 'completed', alreadyCompleted: result.kind === 'already-completed' },
          PRIVATE,
        );
      },
    }),

    defineRoute(routes.teamOverdue, {
      params: z.object({ teamId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const { teamId } = params;
        if (!mayReadTeam(claims, teamId)) throw new Forbidden('You can see the overdue items of your own team only.');
        const [agenda, openActions] = await Promise.all([store.teamAgenda(teamId), store.teamOpenActions(teamId)]);
        await gate.teamRead(teamId, reading(claims, requestId, routes.teamOverdue));
        const now = runtime.clock();
        return json(
          200,
          {
            teamId,
            supervisions: agenda
              .filter((supervision) => now.getTime() > Date.parse(supervision.dueBy))
              .map((s) => supervisionJson(s, false)),
            actions: openActions.filter((action) => isActionOverdue(action, now)),
          },
          PRIVATE,
        );
      },
    }),

    defineRoute(routes.recordConsultation, {
      params: caseParams,
      body: z.looseObject({}),
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await openCase(params.caseId, reading(claims, requestId, routes.recordConsultation));
        const input = consultationInputSchema.safeParse(body);
        if (!input.success) throw shapeProblems(input.error.issues);
        const checked = checkConsultation(input.data, { now: runtime.clock() });
        if (!checked.ok) throw problems(checked.errors);
        const result = await store.recordConsultation(opened.found.supervisedCase.caseId, {
          ...checked.value,
          by: { userId: claims.userId, name: nameOf(claims) },
          now: runtime.clock(),
          consultationId: randomUUID(),
        });
        if (result.kind !== 'recorded') throw new NotFound(NOT_FOUND);
        return json(201, result.consultation, PRIVATE);
      },
    }),
  ];
}
