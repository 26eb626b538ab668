// The exports table: one row per export, its state machine guarded in SQL.
import type { Sql } from './client';
import type { Principal } from './api-keys';

export type ExportStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
export type ExportFilters = { package_ids?: string[]; publisher_id?: string };

export type ExportRow = {
  id: string;
  dataset: string;
  format: 'csv' | 'json';
  compression: 'none' | 'gzip';
  csv_bom: boolean;
  range_from: Date;
  range_to: Date;
  from_input: string;
  to_input: string;
  timezone: string;
  granularity: 'day' | 'week' | 'month';
  filters: ExportFilters;
  scope_publisher_id: string | null;
  owner_publisher_id: string | null;
  api_key_id: string | null;
  status: ExportStatus;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  attempts: number;
  rows_written: number;
  row_count: number | null;
  bytes: number | null;
  sha256: string | null;
  content_type: string | null;
  file_name: string | null;
  s3_key: string | null;
  error_code: string | null;
  error_message: string | null;
  schedule_id: string | null;
  run_id: string | null;
  /** When the file was deleted for its age (status 'expired'). */
  expired_at: Date | null;
};

export type NewExport = Pick<
  ExportRow,
  | 'dataset'
  | 'format'
  | 'compression'
  | 'csv_bom'
  | 'range_from'
  | 'range_to'
  | 'from_input'
  | 'to_input'
  | 'timezone'
  | 'granularity'
  | 'filters'
  | 'scope_publisher_id'
  | 'owner_publisher_id'
  | 'api_key_id'
> & { schedule_id?: string | null; run_id?: string | null };

/**
 * Who is looking: a publisher sees its own exports, an admin sees all. The filter follows the role, never the
 * truthiness of an id: a publisher whose id were empty would otherwise see everything.
 */
export type Viewer = { role: 'admin' } | { role: 'publisher'; publisherId: string };

/** `and <column> = <publisher>` for a publisher viewer, nothing for an admin or an internal read (no viewer). */
export const ownerFilter = (sql: Sql, viewer: Viewer | undefined, column = 'owner_publisher_id') =>
  viewer && viewer.role !== 'admin' ? sql`and ${sql(column)} = ${viewer.publisherId}` : sql``;

export type ExportResult = {
  row_count: number;
  bytes: number;
  sha256: string;
  content_type: string;
  file_name: string;
  s3_key: string;
};

/** The columns a new export is written with, and their values: shared by `insertExport` and a run's claim. */
export const newExportColumns = (sql: Sql) =>
  sql`dataset, format, compression, csv_bom, range_from, range_to, from_input, to_input, timezone, granularity,
      filters, scope_publisher_id, owner_publisher_id, api_key_id, schedule_id, run_id`;
export const newExportValues = (sql: Sql, e: NewExport) =>
  sql`${e.dataset}, ${e.format}, ${e.compression}, ${e.csv_bom}, ${e.range_from}, ${e.range_to}, ${e.from_input},
      ${e.to_input}, ${e.timezone}, ${e.granularity}, ${sql.json(e.filters)}, ${e.scope_publisher_id},
      ${e.owner_publisher_id}, ${e.api_key_id}, ${e.schedule_id ?? null}, ${e.run_id ?? null}`;

export async function insertExport(sql: Sql, e: NewExport): Promise<ExportRow> {
  const [row] = await sql<ExportRow[]>`
    insert into app.exports (${newExportColumns(sql)}) values (${newExportValues(sql, e)})
    returning *`;
  return row!;
}

export async function getExport(sql: Sql, id: string, viewer?: Viewer): Promise<ExportRow | null> {
  const [row] = await sql<ExportRow[]>`
    select * from app.exports
    where id = ${id} ${ownerFilter(sql, viewer)}`;
  return row ?? null;
}

/** A page, newest first, after the export `after`; null when `after` is no export this viewer can see. */
export async function listExports(
  sql: Sql,
  viewer: Viewer,
  q: { status?: ExportStatus; dataset?: string; limit: number; after?: string },
): Promise<ExportRow[] | null> {
  if (q.after && !(await getExport(sql, q.after, viewer))) return null;
  return sql<ExportRow[]>`
    select * from app.exports e
    where true
      ${ownerFilter(sql, viewer, 'e.owner_publisher_id')}
      ${q.status ? sql`and e.status = ${q.status}` : sql``}
      ${q.dataset ? sql`and e.dataset = ${q.dataset}` : sql``}
      ${q.after ? sql`and (e.created_at, e.id) < (select created_at, id from app.exports where id = ${q.after})` : sql``}
    order by e.created_at desc, e.id desc
    limit ${q.limit}`;
}

/** Moves a queued (or retried running) export to running. Null when it was cancelled or already finished. */
export async function claimExport(sql: Sql, id: string): Promise<ExportRow | null> {
  const [row] = await sql<ExportRow[]>`
    update app.exports
    set status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(),
        attempts = attempts + 1, rows_written = 0
    where id = ${id} and status in ('queued', 'running')
    returning *`;
  return row ?? null;
}

/**
 * Puts a running export back to queued when its worker hands the job back (shutting down): the interrupted
 * run does not count as an attempt, and the next claim starts it over.
 */
export async function releaseExport(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql`
    update app.exports
    set status = 'queued', rows_written = 0, heartbeat_at = now(), attempts = greatest(attempts - 1, 0)
    where id = ${id} and status = 'running'
    returning id`;
  return Boolean(row);
}

/** Records progress; returns false when the export is no longer running (cancelled), so the worker stops. */
export async function reportProgress(sql: Sql, id: string, rowsWritten: number): Promise<boolean> {
  const [row] = await sql`
    update app.exports set rows_written = ${rowsWritten}, heartbeat_at = now()
    where id = ${id} and status = 'running'
    returning id`;
  return Boolean(row);
}

/** Marks success; false when the export was cancelled meanwhile (the caller then removes the object). */
export async function completeExport(sql: Sql, id: string, r: ExportResult): Promise<boolean> {
  const [row] = await sql`
    update app.exports
    set status = 'succeeded', finished_at = now(), heartbeat_at = now(), rows_written = ${r.row_count},
        row_count = ${r.row_count}, bytes = ${r.bytes}, sha256 = ${r.sha256}, content_type = ${r.content_type},
        file_name = ${r.file_name}, s3_key = ${r.s3_key}, error_code = null, error_message = null
    where id = ${id} and status = 'running'
    returning id`;
  return Boolean(row);
}

export async function failExport(sql: Sql, id: string, code: string, message: string): Promise<boolean> {
  const [row] = await sql`
    update app.exports
    set status = 'failed', finished_at = now(), error_code = ${code}, error_message = ${message}
    where id = ${id} and status in ('queued', 'running')
    returning id`;
  return Boolean(row);
}

/** Removes an export that never started because its job could not be queued (the API answers 503). */
export async function deleteQueuedExport(sql: Sql, id: string): Promise<void> {
  await sql`delete from app.exports where id = ${id} and status = 'queued'`;
}

/** Exports that may have lost their job: running without a heartbeat, or queued, for longer than `staleAfterMs`. */
export async function findStalledExports(
  sql: Sql,
  staleAfterMs: number,
): Promise<{ id: string; status: 'queued' | 'running' }[]> {
  const seconds = staleAfterMs / 1000;
  return sql<{ id: string; status: 'queued' | 'running' }[]>`
    select id, status from app.exports
    where (status = 'running' and heartbeat_at < now() - ${seconds} * interval '1 second')
       or (status = 'queued' and created_at < now() - ${seconds} * interval '1 second')
    order by created_at
    limit 500`;
}

/** Queues again an export whose job is gone; false when it left `was` meanwhile (another replica got there first). */
export async function requeueExport(sql: Sql, id: string, was: 'queued' | 'running'): Promise<boolean> {
  const [row] = await sql`
    update app.exports set status = 'queued', heartbeat_at = now()
    where id = ${id} and status = ${was}
    returning id`;
  return Boolean(row);
}

/** Cancels a queued or running export. */
export async function cancelExport(
  sql: Sql,
  id: string,
  viewer: Viewer,
): Promise<{ outcome: 'cancelled' | 'finished' | 'not_found'; row: ExportRow | null }> {
  const [row] = await sql<ExportRow[]>`
    update app.exports set status = 'cancelled', finished_at = now()
    where id = ${id} and status in ('queued', 'running')
      ${ownerFilter(sql, viewer)}
    returning *`;
  if (row) return { outcome: 'cancelled', row };
  const existing = await getExport(sql, id, viewer);
  return existing ? { outcome: 'finished', row: existing } : { outcome: 'not_found', row: null };
}

/** Idempotency keys live 24 hours; an expired key is replaced by the new request. */
export async function findIdempotentExport(
  sql: Sql,
  principal: string,
  key: string,
): Promise<{ request_hash: string; export_id: string } | null> {
  const [row] = await sql<{ request_hash: string; export_id: string }[]>`
    select request_hash, export_id from app.idempotency_keys
    where principal = ${principal} and key = ${key} and created_at > now() - interval '24 hours'`;
  return row ?? null;
}

/** Claims an idempotency key for a new export inside `tx`; false when another request holds it. */
export async function claimIdempotencyKey(
  tx: Sql,
  principal: string,
  key: string,
  requestHash: string,
  exportId: string,
): Promise<boolean> {
  // Keys live 24 hours: every claim purges all expired ones (indexed on created_at), so the table stays small.
  await tx`delete from app.idempotency_keys where created_at <= now() - interval '24 hours'`;
  const rows = await tx`
    insert into app.idempotency_keys (principal, key, request_hash, export_id)
    values (${principal}, ${key}, ${requestHash}, ${exportId})
    on conflict do nothing
    returning key`;
  return rows.length === 1;
}

export type ExportOwner = { publisherId: string | null; apiKeyId: string };

/**
 * Queued or running exports of one owner (a publisher, or an admin key). Inside a transaction, `lock` first takes a
 * transaction-scoped advisory lock per owner, so a concurrent request of the same owner counts only after this one
 * commits its insert: check and insert become one step.
 */
export async function countActiveExports(sql: Sql, owner: ExportOwner, opts: { lock?: boolean } = {}): Promise<number> {
  if (opts.lock) {
    const key = owner.publisherId !== null ? `publisher:${owner.publisherId}` : `key:${owner.apiKeyId}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${`ax.active-exports.${key}`}, 0))`;
  }
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from app.exports
    where status in ('queued', 'running') and schedule_id is null
      and ${owner.publisherId !== null ? sql`owner_publisher_id = ${owner.publisherId}` : sql`api_key_id = ${owner.apiKeyId}`}`;
  return row!.n;
}

/**
 * Whether a succeeded, unfiltered export of the caller's data spans [from, to) (its file may have expired since): for a publisher its own exports, for an admin exports not restricted to one publisher.
 */
export async function exportCovers(sql: Sql, p: Principal, from: Date, to: Date): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (
      select 1 from app.exports
      where status in ('succeeded', 'expired')
        and range_from <= ${from} and range_to >= ${to}
        and not (filters ? 'package_ids')
        and ${p.role === 'publisher' ? sql`owner_publisher_id = ${p.publisherId}` : sql`scope_publisher_id is null`}
    ) as any`;
  return Boolean(row?.any);
}
