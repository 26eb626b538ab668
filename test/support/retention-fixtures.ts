// Fixtures for retention tests: a known set of month partitions (independent of today's date) and rows
// at exact instants, so a pass "as of" a given day has one right answer.
import type { Sql } from '@ax/db';
import type { MonthKey } from '@ax/retention';

export const EVENT_TABLES = ['install_events', 'reviews', 'reputation_events'] as const;
export const PLAIN_TABLES = [
  'version_adoption_snapshots',
  'marketplace_daily_summary',
  'publisher_leaderboard_snapshots',
] as const;

/** Empties every analytics time-series table and leaves exactly the month partitions first..last. */
export async function resetPartitions(sql: Sql, first: MonthKey, last: MonthKey): Promise<void> {
  for (const table of EVENT_TABLES) {
    const children = await sql<{ name: string }[]>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ${`analytics.${table}`}::regclass`;
    for (const { name } of children) await sql`drop table ${sql(`analytics.${name}`)}`;
    const leftovers = await sql<{ name: string }[]>`
      select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'analytics' and relkind = 'r' and relname like ${`${table}\\_p%`}`;
    for (const { name } of leftovers) await sql`drop table ${sql(`analytics.${name}`)}`;
    await sql`select analytics.ensure_month_partitions(${table}, ${`${first}-01`}::date, ${`${last}-01`}::date)`;
  }
  await sql`truncate analytics.version_adoption_snapshots, analytics.marketplace_daily_summary, analytics.publisher_leaderboard_snapshots`;
  await sql`truncate app.retention_passes, app.retention_detached`;
}

/** Month partitions of an event table, as `YYYY-MM`, oldest first; pending detaches included. */
export async function partitionMonths(sql: Sql, table: string): Promise<MonthKey[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${`analytics.${table}`}::regclass order by 1`;
  return rows.map((r) => r.name.slice(table.length + 2).replace('_', '-'));
}

/** One row in each event table at `at`, and one row per plain table on `day` (for the plain tables' date column). */
export async function eventsAt(sql: Sql, at: string, tag: string): Promise<void> {
  await sql`insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
            values ('pkg-a1', '1.0.0', ${tag}, 'eu-west', 'DE', ${at}::timestamptz)`;
  await sql`insert into analytics.reviews (review_id, package_id, reviewer_id, star_rating, body, review_date)
            values (${tag}, 'pkg-a1', 'r1', 5, 'ok', ${at}::timestamptz)`;
  await sql`insert into analytics.reputation_events (event_id, publisher_id, event_type, points, event_date, source_id)
            values (${tag}, 'pub-a', 'featured', 25, ${at}::timestamptz, null)`;
}

export async function plainRowsOn(sql: Sql, day: string): Promise<void> {
  await sql`insert into analytics.version_adoption_snapshots values (${day}::date, 'pkg-a1', '1.0.0', 3)`;
  await sql`insert into analytics.marketplace_daily_summary values (${day}::date, 10, 2, 1, 0)`;
  await sql`insert into analytics.publisher_leaderboard_snapshots values (${day}::date, 'pub-a', 1, 99.5, 'gold')`;
}

/** The tags (tenant ids) of install events still present, sorted. */
export async function installTags(sql: Sql): Promise<string[]> {
  const rows = await sql<{ tag: string }[]>`select tenant_id as tag from analytics.install_events order by 1`;
  return rows.map((r) => r.tag);
}

export async function plainDays(sql: Sql, table: string, column: string): Promise<string[]> {
  const rows = await sql<
    { d: string }[]
  >`select to_char(${sql(column)}, 'YYYY-MM-DD') as d from ${sql(`analytics.${table}`)} order by 1`;
  return rows.map((r) => r.d);
}
