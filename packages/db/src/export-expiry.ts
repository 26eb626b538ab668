// Export files past their time (CONTRACT §6.5): the sweep finds succeeded exports older than the TTL, deletes their
// object, then marks them 'expired'. Each step is idempotent, so replicas sweeping at once do no harm.
import type { Sql } from './client';

export type ExpiringExport = { id: string; s3_key: string | null };

/** Succeeded exports whose file was written more than `ttlDays` ago (by PostgreSQL's clock), oldest first. */
export async function listExpiringExports(sql: Sql, ttlDays: number, limit: number): Promise<ExpiringExport[]> {
  return sql<ExpiringExport[]>`
    select id, s3_key from app.exports
    where status = 'succeeded' and finished_at <= now() - make_interval(days => ${ttlDays})
    order by finished_at
    limit ${limit}`;
}

/** Marks a succeeded export expired (its file is gone): result figures stay, the key and file name too. */
export async function markExportExpired(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`
    update app.exports set status = 'expired', expired_at = now()
    where id = ${id} and status = 'succeeded'
    returning id`;
  return rows.length === 1;
}

export async function recordMaintenanceRun(sql: Sql, job: string): Promise<void> {
  await sql`
    insert into app.maintenance_runs (job, last_finished_at) values (${job}, now())
    on conflict (job) do update set last_finished_at = excluded.last_finished_at`;
}

/** Milliseconds since the job last finished (PostgreSQL's clock); null when it never did. */
export async function maintenanceRunAge(sql: Sql, job: string): Promise<number | null> {
  const [row] = await sql<{ age_ms: number }[]>`
    select (extract(epoch from now() - last_finished_at) * 1000)::float8 as age_ms from app.maintenance_runs where job = ${job}`;
  return row?.age_ms ?? null;
}
