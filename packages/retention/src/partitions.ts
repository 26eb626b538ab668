// Month partitions of the event tables, read from the catalog, and the low-lock DDL retention runs on them:
// create-then-ATTACH for future months, DETACH … CONCURRENTLY (or FINALIZE) then DROP for months past the cutoff.
import type postgres from 'postgres';
import type { Sql } from '@ax/db';
import { addMonths, monthOfPartition, monthRange, monthStart, partitionName, type MonthKey } from './months';

type Conn = Sql | postgres.ReservedSql;

export type Partition = {
  name: string;
  /** Bounds as instants; null for MINVALUE/MAXVALUE or the DEFAULT partition. */
  lower: Date | null;
  upper: Date | null;
  isDefault: boolean;
  /** Left "detach pending" by a DETACH CONCURRENTLY that was interrupted: only FINALIZE completes it. */
  detachPending: boolean;
};

const ident = (sql: Conn, name: string) => sql(`analytics.${name}`);

export async function isPartitioned(sql: Conn, table: string): Promise<boolean> {
  const [row] = await sql<{ kind: string }[]>`
    select c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'analytics' and c.relname = ${table}`;
  if (!row) throw new Error(`table analytics.${table} does not exist`);
  return row.kind === 'p';
}

/**
 * The partitions of analytics.<parent>. Bound literals carry their UTC offset, so the cast is zone-independent.
 * (No backslashes in tagged templates: postgres.js sends the cooked strings, which drop them; hence `[(]`.)
 */
export async function listPartitions(sql: Conn, parent: string): Promise<Partition[]> {
  const rows = await sql<
    { name: string; bound: string; lower: Date | null; upper: Date | null; detach_pending: boolean }[]
  >`
    select c.relname as name, b.bound, i.inhdetachpending as detach_pending,
           substring(b.bound from $re$FROM [(]'([^']*)'[)]$re$)::timestamptz as lower,
           substring(b.bound from $re$TO [(]'([^']*)'[)]$re$)::timestamptz as upper
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    join pg_namespace n on n.oid = p.relnamespace
    cross join lateral (select pg_get_expr(c.relpartbound, c.oid) as bound) b
    where n.nspname = 'analytics' and p.relname = ${parent} and c.relkind in ('r', 'p')
    order by lower nulls first, c.relname`;
  return rows.map((r) => ({
    name: r.name,
    lower: r.lower,
    upper: r.upper,
    isDefault: r.bound === 'DEFAULT',
    detachPending: r.detach_pending,
  }));
}

/**
 * Month partitions of `parent` a pass recorded and detached but whose DROP never ran. Only tables in
 * app.retention_detached count: one an operator detached on purpose is never a leftover, whatever its name.
 */
export async function listDetachedLeftovers(sql: Conn, parent: string): Promise<{ name: string; month: MonthKey }[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name
    from app.retention_detached d
    join pg_class c on c.relname = d.table_name
    join pg_namespace n on n.oid = c.relnamespace
    where d.parent = ${parent} and n.nspname = 'analytics' and c.relkind = 'r' and not c.relispartition`;
  return rows.flatMap((r) => {
    const month = monthOfPartition(parent, r.name);
    return month ? [{ name: r.name, month }] : [];
  });
}

/** Months from `from` to `from + ahead` that no partition covers yet. */
export function missingMonths(partitions: Partition[], from: MonthKey, ahead: number): MonthKey[] {
  return monthRange(from, addMonths(from, ahead)).filter((m) => {
    const start = monthStart(m).getTime();
    return !partitions.some(
      (p) =>
        !p.isDefault &&
        (p.lower === null || p.lower.getTime() <= start) &&
        (p.upper === null || start < p.upper.getTime()),
    );
  });
}

const boundLiteral = (month: MonthKey) => {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`bad month ${month}`);
  return `'${month}-01 00:00:00+00'`;
};

/**
 * Creates the month's partition the low-lock way: a plain table, then ATTACH (SHARE UPDATE EXCLUSIVE on
 * the parent, which inserts and reads never wait for). `CREATE TABLE … PARTITION OF` would need ACCESS
 * EXCLUSIVE on the parent and queue every insert behind it. One transaction: a timed-out ATTACH leaves nothing.
 */
export async function createMonthPartition(
  conn: postgres.ReservedSql,
  parent: string,
  month: MonthKey,
): Promise<string> {
  const child = partitionName(parent, month);
  await conn`begin`;
  try {
    await conn`create table if not exists ${ident(conn, child)} (like ${ident(conn, parent)} including defaults including constraints)`;
    await conn.unsafe(
      `alter table ${escapeIdent(parent)} attach partition ${escapeIdent(child)} ` +
        `for values from (${boundLiteral(month)}) to (${boundLiteral(addMonths(month, 1))})`,
    );
    await conn`commit`;
  } catch (err) {
    await conn`rollback`.catch(() => {});
    throw err;
  }
  return child;
}

/**
 * Detaches a partition without blocking the parent. DETACH … CONCURRENTLY cannot run inside a transaction
 * block, so it runs on its own; it commits a first step, then waits for queries still using the partition.
 * If lock_timeout interrupts that wait, the partition stays "detach pending" and FINALIZE completes it later.
 * With a DEFAULT partition CONCURRENTLY is not allowed: a plain DETACH (brief ACCESS EXCLUSIVE) is used instead.
 */
export async function detachPartition(
  conn: postgres.ReservedSql,
  parent: string,
  p: Partition,
  concurrently: boolean,
): Promise<void> {
  const mode = p.detachPending ? 'finalize' : concurrently ? 'concurrently' : '';
  await conn.unsafe(`alter table ${escapeIdent(parent)} detach partition ${escapeIdent(p.name)} ${mode}`);
}

/** Rows in a (detached) table, counted before it is dropped so the pass can report what it removed. */
export async function countRows(sql: Conn, name: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int8 as n from ${ident(sql, name)}`;
  return row?.n ?? 0;
}

/** Drops a table that is no longer a partition: ACCESS EXCLUSIVE on that table only, nothing else waits. */
export async function dropDetached(conn: postgres.ReservedSql, name: string): Promise<void> {
  await conn`drop table if exists ${ident(conn, name)}`;
}

/** Whether DETACH … CONCURRENTLY is allowed on this parent (not with a DEFAULT partition). */
export const canDetachConcurrently = (partitions: Partition[]) => !partitions.some((p) => p.isDefault);

function escapeIdent(name: string): string {
  return `analytics."${name.replace(/"/g, '""')}"`;
}
