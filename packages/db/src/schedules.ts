// The schedules table: what to export, how often, to whom. Soft-deleted so past runs and links stay explainable.
import type { Sql } from './client';
import { ownerFilter, type ExportFilters, type Viewer } from './exports';

export type ScheduleFrequency = 'weekly' | 'monthly';

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
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** Periods whose run time is before this are not owed by catch-up (creation, resume, or a new cadence). */
  active_from: Date;
};

export type ScheduleFields = Pick<
  ScheduleRow,
  | 'name' | 'dataset' | 'format' | 'frequency' | 'recipients' | 'timezone' | 'granularity' | 'compression' | 'csv_bom'
  | 'filters' | 'scope_publisher_id' | 'paused'
>;
export type NewSchedule = ScheduleFields & Pick<ScheduleRow, 'owner_publisher_id' | 'api_key_id'>;

const ownedBy = (sql: Sql, viewer?: Viewer) => ownerFilter(sql, viewer);

export async function insertSchedule(sql: Sql, s: NewSchedule): Promise<ScheduleRow> {
  const [row] = await sql<ScheduleRow[]>`
    insert into app.schedules (name, dataset, format, frequency, recipients, timezone, granularity, compression, csv_bom,
                               filters, scope_publisher_id, owner_publisher_id, api_key_id, paused)
    values (${s.name}, ${s.dataset}, ${s.format}, ${s.frequency}, ${s.recipients}::text[], ${s.timezone}, ${s.granularity},
            ${s.compression}, ${s.csv_bom}, ${sql.json(s.filters)}, ${s.scope_publisher_id}, ${s.owner_publisher_id},
            ${s.api_key_id}, ${s.paused})
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
export async function listSchedules(sql: Sql, viewer: Viewer, q: { limit: number; after?: string }): Promise<ScheduleRow[] | null> {
  if (q.after && (await sql`select 1 from app.schedules where id = ${q.after} ${ownedBy(sql, viewer)}`).length === 0) return null;
  return sql<ScheduleRow[]>`
    select * from app.schedules s
    where deleted_at is null ${ownedBy(sql, viewer)}
      ${q.after ? sql`and (s.created_at, s.id) < (select created_at, id from app.schedules where id = ${q.after})` : sql``}
    order by s.created_at desc, s.id desc
    limit ${q.limit}`;
}

/**
 * Writes the merged fields. Resuming, or changing frequency or time zone, moves `active_from` to now: periods
 * that were due before (while paused, or under the old cadence) are not caught up afterwards.
 */
export async function updateSchedule(sql: Sql, id: string, viewer: Viewer, next: ScheduleFields): Promise<ScheduleRow | null> {
  const [row] = await sql<ScheduleRow[]>`
    update app.schedules set
      name = ${next.name}, dataset = ${next.dataset}, format = ${next.format}, frequency = ${next.frequency},
      recipients = ${next.recipients}::text[], timezone = ${next.timezone}, granularity = ${next.granularity},
      compression = ${next.compression}, csv_bom = ${next.csv_bom}, filters = ${sql.json(next.filters)},
      scope_publisher_id = ${next.scope_publisher_id}, paused = ${next.paused}, updated_at = now(),
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

export type ActiveSchedule = Pick<ScheduleRow, 'id' | 'frequency' | 'timezone' | 'paused' | 'active_from'>;

/** Every live schedule, for the reconciler (paused ones too: their schedulers must go). */
export async function listLiveSchedules(sql: Sql): Promise<ActiveSchedule[]> {
  return sql<ActiveSchedule[]>`
    select id, frequency, timezone, paused, active_from from app.schedules where deleted_at is null order by id`;
}
