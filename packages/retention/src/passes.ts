// app.retention_passes: one row per pass (real, dry or skipped), the record the CLI and operators read.
import type postgres from 'postgres';
import type { Sql } from '@ax/db';

export type PassOutcome = 'running' | 'succeeded' | 'failed' | 'skipped' | 'refused';

export type TableOutcome = {
  table: string;
  partitioned: boolean;
  /** Whole month partitions dropped (or, in a dry run, that would be). */
  partitions_dropped: string[];
  rows_in_dropped_partitions: number;
  /** Rows deleted in batches from the boundary partition or the non-partitioned table. */
  rows_trimmed: number;
  /** Future partitions created ahead of time. */
  partitions_created: string[];
  error: string | null;
  /** Time spent on this table, including lock waits and retries. */
  duration_ms: number;
};

export type PassDetails = {
  now: string;
  retention_months: number;
  duration_ms: number;
  tables: TableOutcome[];
};

export type PassRow = {
  id: string;
  cutoff: string;
  dry_run: boolean;
  started_at: Date;
  finished_at: Date | null;
  outcome: PassOutcome;
  details: Partial<PassDetails>;
  error: string | null;
};

export const rowsDeleted = (t: TableOutcome) => t.rows_in_dropped_partitions + t.rows_trimmed;

export async function startPass(
  sql: Sql,
  cutoff: string,
  dryRun: boolean,
  details: Partial<PassDetails>,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into app.retention_passes (cutoff, dry_run, details)
    values (${cutoff}::date, ${dryRun}, ${sql.json(details)})
    returning id`;
  return row!.id;
}

export async function finishPass(
  sql: Sql,
  id: string,
  outcome: Exclude<PassOutcome, 'running'>,
  details: PassDetails,
  error: string | null,
): Promise<void> {
  await sql`
    update app.retention_passes
    set outcome = ${outcome}, finished_at = now(), details = ${sql.json(details)}, error = ${error}
    where id = ${id}`;
}

/** A pass that found another one holding the lock: recorded, so skipped runs are visible too. */
export async function recordSkipped(sql: Sql, cutoff: string, details: Partial<PassDetails>): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into app.retention_passes (cutoff, dry_run, outcome, finished_at, details, error)
    values (${cutoff}::date, false, 'skipped', now(), ${sql.json(details)}, 'another retention pass holds the lock')
    returning id`;
  return row!.id;
}

/** A pass that refused to run (the clocks disagree): recorded, with why, and nothing deleted. */
export async function recordRefused(
  sql: Sql,
  cutoff: string,
  dryRun: boolean,
  details: Partial<PassDetails>,
  why: string,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into app.retention_passes (cutoff, dry_run, outcome, finished_at, details, error)
    values (${cutoff}::date, ${dryRun}, 'refused', now(), ${sql.json(details)}, ${why})
    returning id`;
  return row!.id;
}

/** Records a partition this pass is about to detach: only recorded tables are ever dropped as leftovers. */
export async function rememberDetached(
  sql: Sql | postgres.ReservedSql,
  name: string,
  parent: string,
  passId?: string,
): Promise<void> {
  await sql`
    insert into app.retention_detached (table_name, parent, pass_id) values (${name}, ${parent}, ${passId ?? null})
    on conflict (table_name) do nothing`;
}

export async function forgetDetached(sql: Sql | postgres.ReservedSql, name: string): Promise<void> {
  await sql`delete from app.retention_detached where table_name = ${name}`;
}

/**
 * Called while holding the pass lock: any other real pass still "running" died mid-way (crash, kill -9).
 * Dry runs take no lock, so only those running for over an hour are taken for dead.
 */
export async function failInterrupted(sql: Sql): Promise<number> {
  const rows = await sql`
    update app.retention_passes
    set outcome = 'failed', finished_at = now(), error = 'interrupted: the process ended during the pass'
    where outcome = 'running' and (not dry_run or started_at < now() - interval '1 hour')
    returning id`;
  return rows.length;
}

export async function listPasses(sql: Sql, limit: number): Promise<PassRow[]> {
  return sql<PassRow[]>`
    select id, to_char(cutoff, 'YYYY-MM-DD') as cutoff, dry_run, started_at, finished_at, outcome, details, error
    from app.retention_passes
    order by started_at desc, id desc
    limit ${limit}`;
}

/** How long ago the last real (not dry) pass started, by PostgreSQL's clock, in ms; null when none ever ran. */
export async function lastRealPassAge(sql: Sql): Promise<number | null> {
  const [row] = await sql<{ age_ms: number | null }[]>`
    select (extract(epoch from now() - max(started_at)) * 1000)::float8 as age_ms
    from app.retention_passes where not dry_run`;
  return row?.age_ms ?? null;
}
