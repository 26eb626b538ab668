// Runs (one per schedule and period, claimed before any work), each written with its export and deliveries at once.
// Resends of a period get sequence 1, 2, …; the scheduled run, catch-up and a first backfill share sequence 0.
import { randomUUID } from 'node:crypto';
import type { PendingQuery, Row } from 'postgres';
import { inTx, type Sql } from './client';
import { newExportColumns, newExportValues, type ExportRow, type ExportStatus } from './exports';
import { LimitReached, takeManualRunSlot } from './limits';
import type { DeliveryStatus } from './deliveries';
import type { ScheduleRow } from './schedules';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export type RunRow = {
  id: string;
  schedule_id: string;
  period_start: Date;
  period_end: Date;
  sequence: number;
  status: RunStatus;
  export_id: string | null;
  created_at: Date;
  finished_at: Date | null;
};

/** A period as the database needs it (see @ax/datasets report-periods for the arithmetic). */
export type RunPeriod = { start: Date; end: Date; startDate: string; endDate: string };

/**
 * Claims the run of `schedule` for `period` and creates its export (queued) and one pending delivery per recipient,
 * atomically. `created: false` returns the run someone else claimed first. With `resend`, always a new run.
 * With `manualRunsPerDay`, a new run takes one of the schedule's daily manual-run slots (LimitReached past it).
 */
export async function claimRun(
  sql: Sql,
  schedule: ScheduleRow,
  period: RunPeriod,
  opts: { resend?: boolean; manualRunsPerDay?: number } = {},
): Promise<{ run: RunRow; created: boolean }> {
  // A scheduled run is one statement; a resend or a manual run needs a transaction around it (see claimIn).
  const inTransaction = opts.resend || opts.manualRunsPerDay !== undefined;
  for (let attempt = 0; ; attempt++) {
    const run = inTransaction
      ? await sql.begin((t) => claimIn(inTx(t), schedule, period, opts))
      : await insertRun(sql, schedule, period, sql`0`);
    if (run) return { run, created: true };
    if (!opts.resend) {
      const existing = await getRunForPeriod(sql, schedule.id, period.start);
      if (existing) return { run: existing, created: false };
    }
    // A concurrent resend took the same sequence number (or the row vanished): try the next one.
    if (attempt >= 5) throw new Error(`could not claim a run for schedule ${schedule.id} at ${period.startDate}`);
  }
}

async function claimIn(
  tx: Sql,
  schedule: ScheduleRow,
  period: RunPeriod,
  opts: { resend?: boolean; manualRunsPerDay?: number },
): Promise<RunRow | null> {
  // Resends of one period queue here, so each reads the sequence its predecessor committed (racing resends
  // all took the same number and gave up after five tries: 7 of 20 concurrent resends answered 500).
  if (opts.resend) await tx`select pg_advisory_xact_lock(hashtext(${`resend:${schedule.id}:${period.startDate}`}))`;
  const sequence = opts.resend
    ? tx`(select coalesce(max(sequence), -1) + 1 from app.schedule_runs
          where schedule_id = ${schedule.id} and period_start = ${period.start})`
    : tx`0`;
  const run = await insertRun(tx, schedule, period, sequence);
  // A manual run counts against the schedule's daily limit; past it the whole claim rolls back.
  if (run && opts.manualRunsPerDay !== undefined && !(await takeManualRunSlot(tx, schedule.id, opts.manualRunsPerDay)))
    throw new LimitReached(
      opts.manualRunsPerDay,
      `at most ${opts.manualRunsPerDay} manual runs per schedule per UTC day`,
    );
  return run;
}

/**
 * The run, its export and its deliveries in one statement (the run's foreign key to the export is checked at its
 * end); null when the run's (schedule, period, sequence) was taken, and then nothing is written.
 */
async function insertRun(
  sql: Sql,
  schedule: ScheduleRow,
  period: RunPeriod,
  sequence: PendingQuery<Row[]>,
): Promise<RunRow | null> {
  const runId = randomUUID();
  const exportId = randomUUID();
  const exportValues = newExportValues(sql, {
    dataset: schedule.dataset,
    format: schedule.format,
    compression: schedule.compression,
    csv_bom: schedule.csv_bom,
    range_from: period.start,
    range_to: period.end,
    from_input: period.startDate,
    to_input: period.endDate,
    timezone: schedule.timezone,
    granularity: schedule.granularity,
    filters: schedule.filters,
    scope_publisher_id: schedule.scope_publisher_id,
    owner_publisher_id: schedule.owner_publisher_id,
    api_key_id: schedule.api_key_id,
    schedule_id: schedule.id,
    run_id: runId,
  });
  const [run] = await sql<RunRow[]>`
    with run as (
      insert into app.schedule_runs (id, schedule_id, period_start, period_end, sequence, export_id)
      values (${runId}, ${schedule.id}, ${period.start}, ${period.end}, ${sequence}, ${exportId})
      on conflict do nothing
      returning *
    ), export as (
      insert into app.exports (id, ${newExportColumns(sql)})
      select ${exportId}, ${exportValues} from run
    ), deliveries as (
      insert into app.deliveries (run_id, recipient)
      select run.id, r from run, unnest(${schedule.recipients}::text[]) as r
      on conflict do nothing
    )
    select * from run`;
  return run ?? null;
}

export async function getRunForPeriod(
  sql: Sql,
  scheduleId: string,
  periodStart: Date,
  sequence = 0,
): Promise<RunRow | null> {
  const [row] = await sql<RunRow[]>`
    select * from app.schedule_runs where schedule_id = ${scheduleId} and period_start = ${periodStart} and sequence = ${sequence}`;
  return row ?? null;
}

/** What a run's delivery reads of its schedule. */
export type DeliverySchedule = Pick<
  ScheduleRow,
  'id' | 'name' | 'frequency' | 'owner_publisher_id' | 'paused_reason' | 'deleted_at'
>;

/**
 * A run (what its delivery needs of it), its export and its schedule, in one read; null when the run is gone. The
 * export or the schedule is null when it is gone.
 */
export async function getDeliveryContext(
  sql: Sql,
  runId: string,
): Promise<{
  run: Pick<RunRow, 'id' | 'schedule_id' | 'status' | 'export_id'>;
  export: ExportRow | null;
  schedule: DeliverySchedule | null;
} | null> {
  // The schedule's columns are read only when sch_id is set (the left join found the schedule).
  type Joined = ExportRow & { run_schedule_id: string; run_status: RunStatus; run_export_id: string | null } & {
    sch_id: string | null;
  } & { [K in Exclude<keyof DeliverySchedule, 'id'> as `sch_${K}`]: DeliverySchedule[K] };
  const [row] = await sql<Joined[]>`
    select e.*, r.schedule_id as run_schedule_id, r.status as run_status, r.export_id as run_export_id,
           s.id as sch_id, s.name as sch_name, s.frequency as sch_frequency,
           s.owner_publisher_id as sch_owner_publisher_id, s.paused_reason as sch_paused_reason,
           s.deleted_at as sch_deleted_at
    from app.schedule_runs r
    left join app.exports e on e.id = r.export_id
    left join app.schedules s on s.id = r.schedule_id
    where r.id = ${runId}`;
  if (!row) return null;
  const { run_schedule_id, run_status, run_export_id, ...rest } = row;
  const { sch_id, sch_name, sch_frequency, sch_owner_publisher_id, sch_paused_reason, sch_deleted_at, ...exp } = rest;
  return {
    run: { id: runId, schedule_id: run_schedule_id, status: run_status, export_id: run_export_id },
    export: exp.id ? exp : null,
    schedule: sch_id
      ? {
          id: sch_id,
          name: sch_name,
          frequency: sch_frequency,
          owner_publisher_id: sch_owner_publisher_id,
          paused_reason: sch_paused_reason,
          deleted_at: sch_deleted_at,
        }
      : null,
  };
}

export type DeliveryView = { recipient: string; status: DeliveryStatus; sent_at: Date | null; error: string | null };
export type RunView = RunRow & {
  export_status: ExportStatus | null;
  /** The period as local dates in the schedule's zone at the time of the run (the export's from/to). */
  period_start_date: string | null;
  period_end_date: string | null;
  deliveries: DeliveryView[];
};

/** Runs of a schedule, newest period first, with their deliveries and the export's state. */
export async function listRunsWithDeliveries(
  sql: Sql,
  scheduleId: string,
  q: { limit: number; runId?: string } = { limit: 100 },
): Promise<RunView[]> {
  const rows = await sql<RunView[]>`
    select r.*, e.status as export_status, e.from_input as period_start_date, e.to_input as period_end_date,
      coalesce((select json_agg(json_build_object('recipient', d.recipient, 'status', d.status, 'sent_at', d.sent_at,
                                                  'error', d.error) order by d.recipient)
                from app.deliveries d where d.run_id = r.id), '[]'::json) as deliveries
    from app.schedule_runs r left join app.exports e on e.id = r.export_id
    where r.schedule_id = ${scheduleId} ${q.runId ? sql`and r.id = ${q.runId}` : sql``}
    order by r.period_start desc, r.sequence desc
    limit ${q.limit}`;
  return rows.map((r) => ({
    ...r,
    deliveries: r.deliveries.map((d) => ({
      ...d,
      sent_at: d.sent_at ? new Date(d.sent_at as unknown as string) : null,
    })),
  }));
}

/** Period starts that already have a run (any sequence), per schedule, since `since`. For catch-up. */
export async function runPeriodStarts(sql: Sql, scheduleIds: string[], since: Date): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (scheduleIds.length === 0) return out;
  const rows = await sql<{ schedule_id: string; period_start: Date }[]>`
    select distinct schedule_id, period_start from app.schedule_runs
    where schedule_id = any(${scheduleIds}::uuid[]) and period_start >= ${since}`;
  for (const r of rows) {
    const set = out.get(r.schedule_id) ?? new Set<number>();
    set.add(r.period_start.getTime());
    out.set(r.schedule_id, set);
  }
  return out;
}

export type OpenRun = { id: string; export_id: string; export_status: ExportStatus };

/**
 * Runs not final yet whose next step may have been lost (a crash after the claim, Redis losing its jobs, an
 * enqueue failing after the export finished). Young runs are skipped: their normal flow is still under way.
 */
export async function openRuns(sql: Sql, olderThanMs: number, limit: number): Promise<OpenRun[]> {
  return sql<OpenRun[]>`
    select r.id, r.export_id, e.status as export_status
    from app.schedule_runs r join app.exports e on e.id = r.export_id
    where r.status in ('queued', 'running')
      and coalesce(e.finished_at, e.heartbeat_at, r.created_at) < now() - ${olderThanMs / 1000} * interval '1 second'
    order by r.created_at
    limit ${limit}`;
}

/** The export failed for good: the run fails, and its unsent deliveries with it (nothing to send). True when this call failed it. */
export async function failRun(sql: Sql, runId: string, reason: string): Promise<boolean> {
  return sql.begin(async (t) => {
    await t`update app.deliveries set status = 'failed', error = ${reason}, claimed_at = null, claim_token = null
            where run_id = ${runId} and status = 'pending'`;
    const rows = await t`update app.schedule_runs set status = 'failed', finished_at = now()
                         where id = ${runId} and status in ('queued', 'running') returning id`;
    return rows.length === 1;
  });
}

/**
 * Once every delivery is final: succeeded when at least one e-mail went out, or none failed (none were owed, or
 * every recipient unsubscribed); else failed. A succeeded run ends its schedule's failure streak, in the same
 * statement (a failed one is counted by recordRunFailure, which may pause the schedule).
 */
export async function finishRunIfDone(sql: Sql, runId: string): Promise<RunStatus | null> {
  const [row] = await sql<{ status: RunStatus }[]>`
    with finished as (
      update app.schedule_runs r set
        status = case when exists (select 1 from app.deliveries d where d.run_id = r.id and d.status = 'sent')
                        or not exists (select 1 from app.deliveries d where d.run_id = r.id and d.status = 'failed')
                      then 'succeeded' else 'failed' end,
        finished_at = now()
      where r.id = ${runId} and r.status in ('queued', 'running')
        and not exists (select 1 from app.deliveries d where d.run_id = r.id and d.status = 'pending')
      returning r.status, r.schedule_id
    ), streak_ended as (
      update app.schedules s set failure_streak = 0
      from finished f where s.id = f.schedule_id and f.status = 'succeeded' and s.failure_streak <> 0
    )
    select status from finished`;
  return row?.status ?? null;
}

/** The error of the schedule's latest failed delivery, for the failure notice. */
export async function lastRunError(sql: Sql, scheduleId: string): Promise<string | null> {
  const [row] = await sql<{ error: string | null }[]>`
    select d.error from app.deliveries d join app.schedule_runs r on r.id = d.run_id
    where r.schedule_id = ${scheduleId} and d.status = 'failed' and d.error is not null
    order by r.finished_at desc nulls last, r.created_at desc
    limit 1`;
  return row?.error ?? null;
}
