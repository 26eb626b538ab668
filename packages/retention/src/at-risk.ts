// Which of the months a pass will soon delete hold the caller's data and were never exported (GET /v1/retention):
// the SQL behind the retention page, over the retained tables of RETENTION_TABLES (exports are asked of @ax/db).
import { exportCovers, type Principal, type Sql } from '@ax/db';
import type { MonthDeletion } from './calendar';
import { RETENTION_TABLES, type RetentionTable } from './tables';

const instant = (d: string) => new Date(`${d}T00:00:00Z`);

/** The months, in order, that hold some of the caller's rows and that no succeeded export of theirs covers. */
export async function unexportedMonths(
  sql: Sql,
  p: Principal,
  months: readonly MonthDeletion[],
): Promise<MonthDeletion[]> {
  const out: MonthDeletion[] = [];
  for (const month of months) {
    const covered = () => exportCovers(sql, p, instant(month.from), instant(month.to));
    if ((await holdsData(sql, p, month)) && !(await covered())) out.push(month);
  }
  return out;
}

/** Whether the caller has any row in the month's kept range: a publisher in the tables of its own data, an admin in all. */
async function holdsData(sql: Sql, p: Principal, m: MonthDeletion): Promise<boolean> {
  const between = (t: RetentionTable) =>
    t.type === 'date'
      ? sql`${sql(t.column)} >= ${m.from}::date and ${sql(t.column)} < ${m.to}::date`
      : sql`${sql(t.column)} >= ${instant(m.from)}::timestamptz and ${sql(t.column)} < ${instant(m.to)}::timestamptz`;
  const owned = (t: RetentionTable) => {
    if (p.role !== 'publisher') return sql``;
    return t.ownership === 'packages'
      ? sql`package_id in (select package_id from analytics.packages where publisher_id = ${p.publisherId}) and`
      : sql`publisher_id = ${p.publisherId} and`;
  };
  const tables = RETENTION_TABLES.filter((t) => p.role !== 'publisher' || t.ownership !== 'none');
  const any = tables
    .map((t) => sql`exists (select 1 from ${sql(`analytics.${t.table}`)} where ${owned(t)} ${between(t)})`)
    .reduce((a, b) => sql`${a} or ${b}`);
  const [row] = await sql<{ any: boolean }[]>`select ${any} as any`;
  return Boolean(row?.any);
}
