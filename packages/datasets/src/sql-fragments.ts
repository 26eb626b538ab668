// Shared pieces of dataset SQL: UTC timestamps, safe text cells, and the publisher/package scope.
import { settingRef } from '@ax/db';
import type { Sql } from '@ax/db';
import type { DatasetScope } from './types';

export const utcTimestamp = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
export const isoDate = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;
export const textCell = (col: string) => `app.csv_text(${col})`;

/** Settings carrying the scope's values into a COPY query. */
export function scopeSettings(scope: DatasetScope): Record<string, string> {
  const settings: Record<string, string> = { from: scope.from.toISOString(), to: scope.to.toISOString() };
  if (scope.publisherId !== null) settings.publisher_id = scope.publisherId;
  if (scope.packageIds !== null) settings.package_ids = toPgArray(scope.packageIds);
  return settings;
}

export const toPgArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;

/** COPY-side: WHERE clauses for a time column and a package-owned table. */
export function copyRangeAndPackages(alias: string, timeCol: string, scope: DatasetScope, timeType = 'timestamptz'): string {
  const clauses = [
    `${alias}.${timeCol} >= ${settingRef('from', timeType)}`,
    `${alias}.${timeCol} < ${settingRef('to', timeType)}`,
  ];
  if (scope.publisherId !== null)
    clauses.push(
      `${alias}.package_id in (select p.package_id from analytics.packages p where p.publisher_id = ${settingRef('publisher_id', 'text')})`,
    );
  if (scope.packageIds !== null) clauses.push(`${alias}.package_id = any(${settingRef('package_ids', 'text[]')})`);
  return clauses.join(' and ');
}

/** Query-side (postgres.js): the same scope with bind parameters. */
export function packageScope(sql: Sql, alias: string, scope: DatasetScope) {
  const a = sql.unsafe(alias);
  return sql`
    ${scope.publisherId !== null ? sql`and ${a}.package_id in (select p.package_id from analytics.packages p where p.publisher_id = ${scope.publisherId})` : sql``}
    ${scope.packageIds !== null ? sql`and ${a}.package_id = any(${scope.packageIds}::text[])` : sql``}`;
}

/** The period a row falls into, as a local timestamp in the scope's time zone. */
export const localPeriod = (sql: Sql, scope: DatasetScope, expr: string) =>
  sql`date_trunc(${scope.granularity}, ${sql.unsafe(expr)} at time zone ${scope.timezone})`;
