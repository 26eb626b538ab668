// /v1/schedules: validate → write the row (PostgreSQL is the record) → align the job scheduler → answer.
// When Redis is down the row still counts: the answer is 201/200 and the worker's reconciler creates the
// scheduler later (and catches up any period that came due meanwhile), so nothing is lost or duplicated.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  claimRun,
  deleteSchedule,
  getRunForPeriod,
  getSchedule,
  insertSchedule,
  listRunsWithDeliveries,
  listSchedules,
  LimitReached,
  secondsToUtcMidnight,
  unsubscribedBySchedule,
  updateSchedule,
  type Principal,
  type ScheduleRow,
  type Sql,
} from '@ax/db';
import { cronPattern, isComplete, periodStartingOn } from '@ax/datasets';
import { enqueue, removeReportScheduler, upsertReportScheduler, type Queues } from '@ax/jobs';
import type { Logger } from '@ax/runtime';
import { principalOf, viewerOf } from '../auth';
import { loggerOf } from '../request-context';
import { ApiError, badRequest, notFound, UNKNOWN_CURSOR, unavailable, zodDetails } from '../errors';
import { authorizeSpec, parseBody, requireRetained, type ExportSpec } from '../export-request';
import { backfillSchema, createScheduleSchema, normalizeRecipients, patchScheduleSchema } from '../schedule-request';
import { runResource, scheduleResource } from '../schedule-resource';

export type ScheduleRouteDeps = {
  sql: Sql;
  queues: Queues;
  logger: Logger;
  redisReady: () => boolean;
  recipientDomains: string[];
  now?: () => Date;
  /** RETENTION_MONTHS: a backfill of a period before the cutoff is refused (422 outside_retention). */
  retentionMonths: number;
  /** REPORT_MANUAL_RUNS_PER_DAY (default 10) and SCHEDULES_PER_PUBLISHER (default 100), §6.4. */
  manualRunsPerDay?: number;
  schedulesPerPublisher?: number;
};

const uuid = z.uuid();
export const listSchedulesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.uuid().optional() })
  .strict();

export function scheduleRoutes(deps: ScheduleRouteDeps): Router {
  const router = Router();
  const { sql } = deps;
  const now = () => (deps.now ? deps.now() : new Date());

  const unsubscribedOf = async (id: string) => (await unsubscribedBySchedule(sql, [id])).get(id) ?? [];

  const load = async (req: Request, res: Response): Promise<ScheduleRow> => {
    const id = String(req.params.id);
    if (!uuid.safeParse(id).success) throw notFound('schedule');
    const row = await getSchedule(sql, id, viewerOf(principalOf(res)));
    if (!row) throw notFound('schedule');
    return row;
  };

  /** Best effort: a failure leaves the reconciler to align Redis with the row. */
  const syncScheduler = async (res: Response, row: ScheduleRow) => {
    try {
      if (!deps.redisReady()) throw new Error('redis not ready');
      if (row.paused || row.deleted_at) await removeReportScheduler(deps.queues, row.id);
      else
        await upsertReportScheduler(deps.queues, {
          scheduleId: row.id,
          pattern: cronPattern(row.frequency),
          tz: row.timezone,
        });
    } catch (err) {
      loggerOf(res, deps.logger).warn(
        { scheduleId: row.id, err: (err as Error).message },
        'job scheduler not updated; the reconciler will',
      );
    }
  };

  // A publisher's schedule keeps its publisher scope even when an admin edits it.
  const ownerPrincipal = (caller: Principal, ownerPublisherId: string | null): Principal =>
    ownerPublisherId ? { keyId: caller.keyId, role: 'publisher', publisherId: ownerPublisherId } : caller;

  router.post('/', async (req, res) => {
    const principal = principalOf(res);
    const body = parseBody(createScheduleSchema, req.body);
    const recipients = normalizeRecipients(body.recipients, deps.recipientDomains);
    const { scopePublisherId } = await authorizeSpec(sql, principal, body);
    const row = await limited(
      () =>
        insertSchedule(
          sql,
          {
            name: body.name,
            dataset: body.dataset,
            format: body.format,
            frequency: body.frequency,
            recipients,
            timezone: body.timezone,
            granularity: body.granularity,
            compression: body.compression,
            csv_bom: body.csv_bom,
            filters: body.filters,
            scope_publisher_id: scopePublisherId,
            paused: false,
            failure_contacts: normalizeRecipients(body.failure_contacts, deps.recipientDomains, 'failure_contacts'),
            owner_publisher_id: principal.role === 'publisher' ? principal.publisherId : null,
            api_key_id: principal.keyId,
          },
          { perPublisherLimit: deps.schedulesPerPublisher ?? 100 },
        ),
      (e) => new ApiError(422, 'limit_reached', `A publisher may have at most ${e.limit} schedules; delete one first.`),
    );
    await syncScheduler(res, row);
    res.status(201).location(`/v1/schedules/${row.id}`).json(scheduleResource(row, now()));
  });

  router.get('/', async (req, res) => {
    const parsed = listSchedulesQuery.safeParse(req.query);
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    const rows = await listSchedules(sql, viewerOf(principalOf(res)), {
      limit: parsed.data.limit + 1,
      after: parsed.data.cursor,
    });
    if (!rows) throw badRequest([UNKNOWN_CURSOR]);
    const page = rows.slice(0, parsed.data.limit);
    const unsubscribed = await unsubscribedBySchedule(
      sql,
      page.map((r) => r.id),
    );
    res.json({
      data: page.map((r) => scheduleResource(r, now(), unsubscribed.get(r.id))),
      next_cursor: rows.length > parsed.data.limit ? page[page.length - 1]!.id : null,
    });
  });

  router.get('/:id', async (req, res) => {
    const row = await load(req, res);
    res.json(scheduleResource(row, now(), await unsubscribedOf(row.id)));
  });

  router.patch('/:id', async (req, res) => {
    const principal = principalOf(res);
    const current = await load(req, res);
    const patch = parseBody(patchScheduleSchema, req.body);
    const merged = {
      name: patch.name ?? current.name,
      dataset: patch.dataset ?? current.dataset,
      format: patch.format ?? current.format,
      frequency: patch.frequency ?? current.frequency,
      recipients: patch.recipients ? normalizeRecipients(patch.recipients, deps.recipientDomains) : current.recipients,
      timezone: patch.timezone ?? current.timezone,
      granularity: patch.granularity ?? current.granularity,
      compression: patch.compression ?? current.compression,
      csv_bom: patch.csv_bom ?? current.csv_bom,
      filters: patch.filters ?? current.filters,
      paused: patch.paused ?? current.paused,
      failure_contacts: patch.failure_contacts
        ? normalizeRecipients(patch.failure_contacts, deps.recipientDomains, 'failure_contacts')
        : current.failure_contacts,
    };
    const unsubscribed = await unsubscribedOf(current.id);
    refuseReadding(current.recipients, merged.recipients, unsubscribed);
    const { scopePublisherId } = await authorizeSpec(
      sql,
      ownerPrincipal(principal, current.owner_publisher_id),
      merged as ExportSpec,
    );
    const row = await updateSchedule(
      sql,
      current.id,
      viewerOf(principal),
      { ...merged, scope_publisher_id: scopePublisherId },
      principal.keyId,
    );
    if (!row) throw notFound('schedule');
    await syncScheduler(res, row);
    res.json(scheduleResource(row, now(), unsubscribed));
  });

  router.delete('/:id', async (req, res) => {
    const row = await load(req, res);
    if (!(await deleteSchedule(sql, row.id, viewerOf(principalOf(res))))) throw notFound('schedule');
    await syncScheduler(res, { ...row, deleted_at: now() });
    res.status(204).end();
  });

  router.get('/:id/runs', async (req, res) => {
    const row = await load(req, res);
    const runs = await listRunsWithDeliveries(sql, row.id, { limit: 100 });
    res.json({ data: runs.map(runResource) });
  });

  // Backfill: run a completed past period now; the existing run is returned unless `resend` asks for another.
  router.post('/:id/runs', async (req, res) => {
    const schedule = await load(req, res);
    const body = parseBody(backfillSchema, req.body);
    const period = periodStartingOn(schedule.frequency, schedule.timezone, body.period_start);
    const refuse = (code: string, message: string, detail: string) =>
      new ApiError(422, code, message, [{ field: 'period_start', message: detail }]);
    if (!period) {
      const first = schedule.frequency === 'weekly' ? 'a Monday' : 'the 1st of a month';
      throw refuse('period_not_aligned', `A ${schedule.frequency} period starts on ${first}.`, `Must be ${first}.`);
    }
    if (!isComplete(period, now()))
      throw refuse(
        'period_not_complete',
        `The period ${period.startDate} to ${period.endDate} has not ended yet.`,
        'Must be a period that has ended.',
      );
    requireRetained(period.start, now(), deps.retentionMonths, 'period_start');

    const view = async (runId: string) =>
      runResource((await listRunsWithDeliveries(sql, schedule.id, { limit: 1, runId }))[0]!);
    if (!body.resend) {
      const existing = await getRunForPeriod(sql, schedule.id, period.start);
      if (existing) return void res.status(200).json(await view(existing.id));
    }
    if (!deps.redisReady()) throw unavailable('The job queue is unavailable; nothing was created. Try again shortly.');
    const { run, created } = await limited(
      () => claimRun(sql, schedule, period, { resend: body.resend, manualRunsPerDay: deps.manualRunsPerDay ?? 10 }),
      (e) =>
        new ApiError(
          429,
          'rate_limited',
          `At most ${e.limit} manual runs per schedule per UTC day; try again tomorrow.`,
          [],
          { 'Retry-After': String(secondsToUtcMidnight(now())) },
        ),
    );
    if (!created) return void res.status(200).json(await view(run.id));
    // Once the run row exists it will happen: if this enqueue fails, the reconciler's sweep starts the export.
    await enqueue(deps.queues, 'export.run', { exportId: run.export_id! }).catch((err) =>
      loggerOf(res, deps.logger).warn(
        { runId: run.id, err: (err as Error).message },
        'export enqueue failed; the reconciler will retry',
      ),
    );
    res.status(202).json(await view(run.id));
  });

  return router;
}

/** Runs `fn`, turning a LimitReached from the database into the API error `refuse` builds. */
async function limited<T>(fn: () => Promise<T>, refuse: (e: LimitReached) => ApiError): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LimitReached) throw refuse(err);
    throw err;
  }
}

/** An address that unsubscribed may stay on the list (it is suppressed), but the owner cannot add it back. */
function refuseReadding(current: string[], next: string[], unsubscribed: string[]): void {
  const had = new Set(current.map((r) => r.toLowerCase()));
  const left = new Set(unsubscribed);
  const details = next.flatMap((r, i) =>
    !had.has(r.toLowerCase()) && left.has(r.toLowerCase())
      ? [
          {
            field: `recipients.${i}`,
            message: `${r} unsubscribed from this schedule; only the recipient can undo that.`,
          },
        ]
      : [],
  );
  if (details.length)
    throw new ApiError(
      422,
      'recipient_unsubscribed',
      'A recipient you added unsubscribed from this schedule; only they can subscribe again.',
      details,
    );
}
