// Daily counters behind the §6.4 limits (manual runs per schedule, e-mails per publisher), by UTC day. A slot is
// taken by one upsert that only counts while under the limit: the row lock makes racing callers queue, so N
// concurrent requests against a limit of L get exactly min(N, L) slots.
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from './client';

/** Thrown inside a transaction to roll it back when a limit is reached. */
export class LimitReached extends Error {
  constructor(
    readonly limit: number,
    message: string,
  ) {
    super(message);
    this.name = 'LimitReached';
  }
}

const utcDay = (sql: Sql) => sql`(now() at time zone 'UTC')::date`;

/** One manual run of the schedule today; false when `limit` were taken already. Call inside the run's transaction. */
export async function takeManualRunSlot(sql: Sql, scheduleId: string, limit: number): Promise<boolean> {
  const rows = await sql`
    insert into app.manual_run_counts as c (schedule_id, day, count) values (${scheduleId}, ${utcDay(sql)}, 1)
    on conflict (schedule_id, day) do update set count = c.count + 1 where c.count < ${limit}
    returning c.count`;
  return rows.length === 1 && limit > 0;
}

/**
 * The upsert that takes one of the publisher's e-mails of today for each row of `source` (a FROM clause): it counts
 * only while under `limit` and returns a row per slot taken. See claimDelivery, which takes the slot with its claim.
 */
export const emailSlotUpsert = (sql: Sql, publisherId: string, limit: number, source: PendingQuery<Row[]>) => sql`
  insert into app.email_counts as c (publisher_id, day, count)
  select ${publisherId}, ${utcDay(sql)}, 1 ${source} where ${limit}::int > 0
  on conflict (publisher_id, day) do update set count = c.count + 1 where c.count < ${limit}
  returning c.count`;

/** SES surely took nothing: the slot is given back (the delivery will take one again when it is retried). */
export async function returnEmailSlot(sql: Sql, publisherId: string): Promise<void> {
  await sql`update app.email_counts set count = count - 1 where publisher_id = ${publisherId} and day = ${utcDay(sql)} and count > 0`;
}

/** Seconds until the next UTC midnight, when the daily counters start again (for Retry-After). */
export const secondsToUtcMidnight = (now = new Date()): number => {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
};
