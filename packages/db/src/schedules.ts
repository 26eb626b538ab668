// The schedules table: what to export, how often, to whom. Soft-deleted so past runs and links stay explainable.
import { inTx, type Sql } from './client';
import { LimitReached } from './limits';
import { ownerFilter, type ExportFilters, type Viewer } from './exports';

export type ScheduleFrequency = 'weekly' | 'monthly';
export type PausedReason = 'user' | 'failing' | 'creator_key_revoked';

export type ScheduleRow = {
  id: string;
  name: string;
  dataset: string;
  format: 'csv' | 'json';
  frequency: ScheduleFrequency;
  recipients: string[];
  timezone: string;
  granularity: 'day' | 'week' | 'month';
  compression: 'none' | 'gzip';
  csv_bom: boolean;
  filters: ExportFilters;
  scope_publisher_id: string | null;
  owner_publisher_id: string | null;
  api_key_id: string | null;
  paused: boolean;
  paused_reason: PausedReason | null;
  failure_contacts: string[];
  failure_streak: number;
  failure_notice_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** Periods whose run time is before this are not owed by catch-up (creation, resume, or a new cadence). */
  active_from: Date;
};

export type ScheduleFields = Pick<
  ScheduleRow,
  | 'name'
  | 'dataset'
  | 'format'
  | 'frequency'
  | 'recipients'
  | 'timezone'
  | 'granularity'
  | 'compression'
  | 'csv_bom'
  | 'filters'
  | 'scope_publisher_id'
  | 'paused'
  | 'failure_contacts'
>;
export type NewSchedule = ScheduleFields & Pick<ScheduleRow, 'owner_publisher_id' | 'api_key_id'>;

const ownedBy = (sql: Sql, viewer?: Viewer) => ownerFilter(sql, viewer);

/**
 * Inserts a schedule. With `perPublisherLimit`, a publisher's schedule is refused (LimitReached) once the publisher
 * has that many live ones; a per-publisher advisory lock makes concurrent creations count one after another.
 */
export async function insertSchedule(
  sql: Sql,
  s: NewSchedule,
  opts: { perPublisherLimit?: number } = {},
): Promise<ScheduleRow> {
  const limit = opts.perPublisherLimit;
  if (limit === undefined || s.owner_publisher_id === null) return insertScheduleRow(sql, s);
  const owner = s.owner_publisher_id;
  return sql.begin(async (t) => {
    const tx = inTx(t);
    await tx`select pg_advisory_xact_lock(hashtext(${`schedules:${owner}`}))`;
    const [live] = await tx<{ n: number }[]>`
      select count(*)::int as n from app.schedules where owner_publisher_id = ${owner} and deleted_at is null`;
    if (live!.n >= limit) throw new LimitReached(limit, `at most ${limit} schedules per publisher`);
    return insertScheduleRow(tx, s);
  });
}

async function insertScheduleRow(sql: Sql, s: NewSchedule): Promise<ScheduleRow> {
  const [row] = await sql<ScheduleRow[]>`
    insert into app.schedules (name, dataset, format, frequency, recipients, timezone, granularity, compression, csv_bom,
                               filters, scope_publisher_id, owner_publisher_id, api_key_id, paused, paused_reason, failure_contacts)
    values (${s.name}, ${s.dataset}, ${s.format}, ${s.frequency}, ${s.recipients}::text[], ${s.timezone}, ${s.granularity},
            ${s.compression}, ${s.csv_bom}, ${sql.json(s.filters)}, ${s.scope_publisher_id}, ${s.owner_publisher_id},
            ${s.api_key_id}, ${s.paused}, ${s.paused ? 'user' : null}, ${s.failure_contacts}::text[])
    returning *`;
  return row!;
}

export async function getSchedule(sql: Sql, id: string, viewer?: Viewer): Promise<ScheduleRow | null> {
  const [row] = await sql<ScheduleRow[]>`
    select * from app.schedules where id = ${id} and deleted_at is null ${ownedBy(sql, viewer)}`;
  return row ?? null;
}

/** Any schedule, deleted or not: workers finishing a run of a schedule deleted meanwhile need it. */
export async function getScheduleAnyState(sql: Sql, id: string): Promise<ScheduleRow | null> {
  const [row] = await sql<ScheduleRow[]>`select * from app.schedules where id = ${id}`;
  return row ?? null;
}

/** A page, newest first, after the schedule `after` (deleted since or not); null when this viewer has no such schedule. */
export async function listSchedules(
  sql: Sql,
  viewer: Viewer,
  q: { limit: number; after?: string },
): Promise<ScheduleRow[] | null> {
  if (q.after && (await sql`select 1 from app.schedules where id = ${q.after} ${ownedBy(sql, viewer)}`).length === 0)
    return null;
  return sql<ScheduleRow[]>`
    select * from app.schedules s
    where deleted_at is null ${ownedBy(sql, viewer)}
      ${q.after ? sql`and (s.created_at, s.id) < (select created_at, id from app.schedules where id = ${q.after})` : sql``}
    order by s.created_at desc, s.id desc
    limit ${q.limit}`;
}

/**
 * Writes the merged fields. Resuming, or changing frequency or time zone, moves `active_from` to now: periods
 * that were due before (while paused, or under the old cadence) are not caught up afterwards. Pausing records
 * the reason 'user'; resuming clears the reason and the failure count. `resumedBy`: the key that resumes a
 * schedule whose creator key was revoked becomes its key.
 */
export async function updateSchedule(
  sql: Sql,
  id: string,
  viewer: Viewer,
  next: ScheduleFields,
  resumedBy?: string,
): Promise<ScheduleRow | null> {
  const resuming = sql`(paused and not ${next.paused})`;
  const [row] = await sql<ScheduleRow[]>`
    update app.schedules set
      name = ${next.name}, dataset = ${next.dataset}, format = ${next.format}, frequency = ${next.frequency},
      recipients = ${next.recipients}::text[], timezone = ${next.timezone}, granularity = ${next.granularity},
      compression = ${next.compression}, csv_bom = ${next.csv_bom}, filters = ${sql.json(next.filters)},
      scope_publisher_id = ${next.scope_publisher_id}, paused = ${next.paused}, updated_at = now(),
      failure_contacts = ${next.failure_contacts}::text[],
      paused_reason = case when not ${next.paused} then null when not paused then 'user' else paused_reason end,
      failure_streak = case when ${resuming} then 0 else failure_streak end,
      failure_notice_at = case when ${resuming} then null else failure_notice_at end,
      api_key_id = case when ${resuming} and paused_reason = 'creator_key_revoked' and ${resumedBy ?? null}::uuid is not null
                        then ${resumedBy ?? null}::uuid else api_key_id end,
      active_from = case
        when (paused and not ${next.paused}) or frequency <> ${next.frequency} or timezone <> ${next.timezone} then now()
        else active_from end
    where id = ${id} and deleted_at is null ${ownedBy(sql, viewer)}
    returning *`;
  return row ?? null;
}

export async function deleteSchedule(sql: Sql, id: string, viewer: Viewer): Promise<boolean> {
  const rows = await sql`
    update app.schedules set deleted_at = now(), updated_at = now()
    where id = ${id} and deleted_at is null ${ownedBy(sql, viewer)}
    returning id`;
  return rows.length === 1;
}

/**
 * Counts a failed run: the failure that reaches `pauseAfter` in a row pauses a running schedule with the reason
 * 'failing'. Returns the schedule when this call paused it. (A succeeded run resets the count: finishRunIfDone.)
 */
export async function recordRunFailure(sql: Sql, scheduleId: string, pauseAfter: number): Promise<ScheduleRow | null> {
  const [row] = await sql<(ScheduleRow & { paused_now: boolean })[]>`
    with old as (select id, paused from app.schedules where id = ${scheduleId} for update)
    update app.schedules s set
      failure_streak = s.failure_streak + 1,
      paused = s.paused or (s.deleted_at is null and s.failure_streak + 1 >= ${pauseAfter}),
      paused_reason = case when not s.paused and s.deleted_at is null and s.failure_streak + 1 >= ${pauseAfter} then 'failing' else s.paused_reason end,
      updated_at = now()
    from old where s.id = old.id
    returning s.*, (s.paused and not old.paused) as paused_now`;
  if (!row?.paused_now) return null;
  const { paused_now: _drop, ...schedule } = row;
  return schedule;
}

/** Claims the one "paused: failing" notice of a schedule; null when it was claimed already or is not owed. */
export async function claimFailureNotice(sql: Sql, scheduleId: string): Promise<ScheduleRow | null> {
  const [row] = await sql<ScheduleRow[]>`
    update app.schedules set failure_notice_at = now()
    where id = ${scheduleId} and paused_reason = 'failing' and failure_notice_at is null and deleted_at is null
      and cardinality(failure_contacts) > 0
    returning *`;
  return row ?? null;
}

/** The notice could not be sent (SES surely took nothing): owed again, for the reconciler's next round. */
export async function releaseFailureNotice(sql: Sql, scheduleId: string): Promise<void> {
  await sql`update app.schedules set failure_notice_at = null where id = ${scheduleId} and paused_reason = 'failing'`;
}

/** Schedules paused for failing whose notice is still owed. */
export async function owedFailureNotices(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from app.schedules
    where paused_reason = 'failing' and failure_notice_at is null and deleted_at is null and cardinality(failure_contacts) > 0`;
  return rows.map((r) => r.id);
}

export type ActiveSchedule = Pick<ScheduleRow, 'id' | 'frequency' | 'timezone' | 'paused' | 'active_from'>;

/** Every live schedule, for the reconciler (paused ones too: their schedulers must go). */
export async function listLiveSchedules(sql: Sql): Promise<ActiveSchedule[]> {
  return sql<ActiveSchedule[]>`
    select id, frequency, timezone, paused, active_from from app.schedules where deleted_at is null order by id`;
}
