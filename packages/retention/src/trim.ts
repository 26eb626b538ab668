// Bounded batched deletes of rows before the cutoff: each batch is its own short transaction, so row locks
// are held for milliseconds and nothing queues behind a long DELETE.
import type postgres from 'postgres';
import type { Sql } from '@ax/db';
import { throwIfAborted, withLockRetry, type RetryPolicy } from './locking';
import type { RetentionTable } from './tables';

type Conn = Sql | postgres.ReservedSql;

export type Cutoff = { day: string; instant: Date };

const ident = (sql: Conn, name: string) => sql(`analytics.${name}`);

/** `column < cutoff`, compared in the column's own type (a date column never goes through the session time zone). */
const beforeCutoff = (sql: Conn, t: RetentionTable, cutoff: Cutoff) =>
  t.type === 'date'
    ? sql`${sql(t.column)} < ${cutoff.day}::date`
    : sql`${sql(t.column)} < ${cutoff.instant}::timestamptz`;

/** How many rows of `relation` (the table or one of its partitions) are older than the cutoff. */
export async function countBefore(sql: Conn, relation: string, t: RetentionTable, cutoff: Cutoff): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int8 as n from ${ident(sql, relation)} where ${beforeCutoff(sql, t, cutoff)}`;
  return row?.n ?? 0;
}

/**
 * Deletes rows of `relation` older than the cutoff, `batchSize` at a time (a TID scan on ctids picked through
 * the time index), until none is left. `relation` must be a plain table or a leaf partition: ctids are per table.
 */
export async function deleteBefore(
  conn: postgres.ReservedSql,
  relation: string,
  t: RetentionTable,
  cutoff: Cutoff,
  opts: { batchSize: number; retry: RetryPolicy; onBatch?: (deleted: number) => void },
): Promise<number> {
  let total = 0;
  for (;;) {
    throwIfAborted(opts.retry.signal);
    const result = await withLockRetry(
      `delete from analytics.${relation}`,
      opts.retry,
      () => conn`
      delete from ${ident(conn, relation)}
      where ctid = any(array(
        select ctid from ${ident(conn, relation)} where ${beforeCutoff(conn, t, cutoff)} limit ${opts.batchSize}))`,
    );
    total += result.count;
    if (result.count > 0) opts.onBatch?.(result.count);
    if (result.count < opts.batchSize) return total;
  }
}
