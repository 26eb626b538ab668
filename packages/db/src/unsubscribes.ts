// Per-schedule unsubscribes (CONTRACT §6.4): the recipient leaves one schedule's mail; only they can undo it.
import type { Sql } from './client';

const norm = (address: string) => address.trim().toLowerCase();

/** Records the unsubscribe (of a schedule deleted or not). Repeating it changes nothing. */
export async function unsubscribe(sql: Sql, scheduleId: string, recipient: string): Promise<void> {
  await sql`
    insert into app.unsubscribes (schedule_id, recipient)
    select id, ${norm(recipient)} from app.schedules where id = ${scheduleId}
    on conflict do nothing`;
}

export async function undoUnsubscribe(sql: Sql, scheduleId: string, recipient: string): Promise<void> {
  await sql`delete from app.unsubscribes where schedule_id = ${scheduleId} and recipient = ${norm(recipient)}`;
}

export async function isUnsubscribed(sql: Sql, scheduleId: string, recipient: string): Promise<boolean> {
  const rows =
    await sql`select 1 from app.unsubscribes where schedule_id = ${scheduleId} and recipient = ${norm(recipient)}`;
  return rows.length > 0;
}

/** Unsubscribed addresses (lower-cased, oldest first) per schedule. */
export async function unsubscribedBySchedule(sql: Sql, scheduleIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (scheduleIds.length === 0) return out;
  const rows = await sql<{ schedule_id: string; recipient: string }[]>`
    select schedule_id, recipient from app.unsubscribes
    where schedule_id = any(${scheduleIds}::uuid[]) order by created_at, recipient`;
  for (const r of rows) out.set(r.schedule_id, [...(out.get(r.schedule_id) ?? []), r.recipient]);
  return out;
}

/** A run's unclaimed pending deliveries to addresses that left its schedule become 'suppressed': nothing is sent. */
export async function suppressUnsubscribed(sql: Sql, runId: string): Promise<number> {
  const rows = await sql`
    update app.deliveries d set status = 'suppressed', error = null
    where d.run_id = ${runId} and d.status = 'pending' and d.claimed_at is null and ${leftSchedule(sql)}
    returning d.id`;
  return rows.length;
}

/** Whether the recipient of delivery `d` unsubscribed from the schedule of its run. */
export const leftSchedule = (sql: Sql) => sql`exists (
  select 1 from app.schedule_runs r join app.unsubscribes u on u.schedule_id = r.schedule_id
  where r.id = d.run_id and u.recipient = lower(d.recipient))`;
