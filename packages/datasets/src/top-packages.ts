// The five packages with the most installs or reviews in a scope (publisher, package filter, time range), with
// their names: the "top packages" of a report e-mail.
import type { Sql } from '@ax/db';
import { packageScope } from './sql-fragments';
import type { DatasetScope } from './types';

/** Installs or reviews per package in the scope, largest first (ties by id), with the packages' names. */
export async function topPackages(
  sql: Sql,
  scope: DatasetScope,
  table: 'install_events' | 'reviews',
  timeCol: 'install_date' | 'review_date',
) {
  const t = sql.unsafe(`analytics.${table}`);
  const c = sql.unsafe(`t.${timeCol}`);
  return sql<{ package_id: string; name: string | null; n: number; avg: string | null }[]>`
    select t.package_id, p.name, count(*)::int as n, ${table === 'reviews' ? sql`round(avg(t.star_rating), 2)::text` : sql`null`} as avg
    from ${t} t left join analytics.packages p on p.package_id = t.package_id
    where ${c} >= ${scope.from} and ${c} < ${scope.to}
      ${packageScope(sql, 't', scope)}
    group by t.package_id, p.name
    order by n desc, t.package_id
    limit 5`;
}
