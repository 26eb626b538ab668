// Shared pieces of dataset SQL: UTC timestamps, safe text cells, the publisher/package scope, local periods
// and day ranges for date-typed tables.
import { copyValue } from '@ax/db';
import type { Sql } from '@ax/db';
import { daysWithin } from './local-days';
import type { DatasetScope } from './types';

/**
 * `YYYY-MM-DDTHH:MM:SSZ` in UTC. COPY runs with DateStyle ISO (copy-stream.ts), so the timestamp's own text output is
 * the format with a space for the T: ~10% less backend CPU than to_char for the install_events CSV.
 */
export const utcTimestamp = (col: string) =>
  `replace(date_trunc('second', ${col} at time zone 'UTC')::text, ' ', 'T') || 'Z'`;
/**
 * A select list whose cells the COPY reader finishes (copy-out.ts): the leading `text` cells selected as they are and
 * formula-guarded by the reader, the `other` columns as given, and a last timestamptz selected as it is and written
 * `YYYY-MM-DDTHH:MM:SSZ` by the reader. Returns the list with the CopyQuery settings that go with it (spread `reader`
 * into the query), so the two cannot disagree. Done in SQL (textCell, utcTimestamp), these cells cost a 5M-row install
 * export about a third of its backend's CPU (README "Cells the COPY reader finishes").
 */
export function readerCells(cells: { text: string[]; other?: string[]; utcTimestamp: string }) {
  return {
    select: [...cells.text, ...(cells.other ?? []), cells.utcTimestamp].join(', '),
    reader: { leadingTextCells: cells.text.length, utcTimestampLast: true },
  };
}
/** `YYYY-MM-DD` of a date or timestamp (DateStyle ISO, as above). */
export const isoDate = (col: string) => `(${col})::date::text`;
export const textCell = (col: string) => `app.csv_text(${col})`;

/** The scope's values for a COPY query (quoted in as literals by the server, see copy-query.ts). */
export function scopeValues(scope: DatasetScope): Record<string, string> {
  const values: Record<string, string> = { from: scope.from.toISOString(), to: scope.to.toISOString() };
  if (scope.publisherId !== null) values.publisher_id = scope.publisherId;
  if (scope.packageIds !== null) values.package_ids = toPgArray(scope.packageIds);
  return values;
}

export const toPgArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;

/** Values for COPY queries that group by local period (timezone, granularity) or compare days (day range). */
export const periodValues = (scope: DatasetScope): Record<string, string> => ({
  timezone: scope.timezone,
  granularity: scope.granularity,
});
export function dayValues(scope: DatasetScope): Record<string, string> {
  const { fromDay, toDay } = daysWithin(scope.from, scope.to, scope.timezone);
  return { from_day: fromDay, to_day: toDay };
}

/** COPY-side: WHERE clauses for a time column and a package-owned table. */
export function copyRangeAndPackages(
  alias: string,
  timeCol: string,
  scope: DatasetScope,
  timeType = 'timestamptz',
): string {
  return [
    `${alias}.${timeCol} >= ${copyValue('from', timeType)}`,
    `${alias}.${timeCol} < ${copyValue('to', timeType)}`,
    ...copyPackageClauses(alias, scope),
  ].join(' and ');
}

/**
 * A publisher's rows are those of its packages, written `package_id = any(array(select …))`: each partition's
 * (package_id, time) index is then searched per package. As `in (select …)` the planner hash-joined every row of the
 * range instead, and a 1.2k-row export of a 30-day range read the whole month (README "Publisher scope").
 */
function copyPackageClauses(alias: string, scope: DatasetScope): string[] {
  const clauses: string[] = [];
  if (scope.publisherId !== null)
    clauses.push(
      `${alias}.package_id = any(array(select p.package_id from analytics.packages p where p.publisher_id = ${copyValue('publisher_id', 'text')}))`,
    );
  if (scope.packageIds !== null) clauses.push(`${alias}.package_id = any(${copyValue('package_ids', 'text[]')})`);
  return clauses;
}

/** COPY-side: a timestamptz range on a table owned by a publisher account (reputation_events). */
export function copyRangeAndPublisher(alias: string, timeCol: string, scope: DatasetScope): string {
  return [
    `${alias}.${timeCol} >= ${copyValue('from', 'timestamptz')}`,
    `${alias}.${timeCol} < ${copyValue('to', 'timestamptz')}`,
    ...(scope.publisherId !== null ? [`${alias}.publisher_id = ${copyValue('publisher_id', 'text')}`] : []),
  ].join(' and ');
}

/** COPY-side: a `date` column within the scope's days (needs dayValues; see local-days.ts). */
export const copyDays = (alias: string, dayCol: string): string =>
  `${alias}.${dayCol} >= ${copyValue('from_day', 'date')} and ${alias}.${dayCol} < ${copyValue('to_day', 'date')}`;

export const copyDaysAndPackages = (alias: string, dayCol: string, scope: DatasetScope): string =>
  [copyDays(alias, dayCol), ...copyPackageClauses(alias, scope)].join(' and ');

/** COPY-side: the local period start of a timestamptz expression (needs periodValues). */
export const copyLocalPeriod = (expr: string) =>
  `date_trunc(${copyValue('granularity', 'text')}, ${expr} at time zone ${copyValue('timezone', 'text')})`;

/** Query-side (postgres.js): the same scope with bind parameters (`any(array(…))` as in copyPackageClauses). */
export function packageScope(sql: Sql, alias: string, scope: DatasetScope) {
  const a = sql.unsafe(alias);
  return sql`
    ${scope.publisherId !== null ? sql`and ${a}.package_id = any(array(select p.package_id from analytics.packages p where p.publisher_id = ${scope.publisherId}))` : sql``}
    ${scope.packageIds !== null ? sql`and ${a}.package_id = any(${scope.packageIds}::text[])` : sql``}`;
}

/** Query-side: rows of the scope's publisher account. */
export function publisherScope(sql: Sql, alias: string, scope: DatasetScope) {
  return scope.publisherId !== null ? sql`and ${sql.unsafe(alias)}.publisher_id = ${scope.publisherId}` : sql``;
}

/** Query-side: a `date` column within the days whose local midnight lies in [from, to) (see local-days.ts). */
export function dayRange(sql: Sql, alias: string, dayCol: string, scope: DatasetScope) {
  const { fromDay, toDay } = daysWithin(scope.from, scope.to, scope.timezone);
  const c = sql.unsafe(`${alias}.${dayCol}`);
  return sql`${c} >= ${fromDay}::date and ${c} < ${toDay}::date`;
}

/** The period a local day falls into: the day itself is already local to the scope's time zone. */
export const dayPeriod = (sql: Sql, scope: DatasetScope, dayExpr: string) =>
  sql`date_trunc(${scope.granularity}, (${sql.unsafe(dayExpr)})::timestamp)`;

/** The period a row falls into, as a local timestamp in the scope's time zone. */
export const localPeriod = (sql: Sql, scope: DatasetScope, expr: string) =>
  sql`date_trunc(${scope.granularity}, ${sql.unsafe(expr)} at time zone ${scope.timezone})`;
