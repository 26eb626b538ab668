// version_adoption: daily snapshots of active tenants per package version. `snapshot_date` is a local day of
// the export's time zone, in range when its midnight there lies in [from, to) (local-days.ts).
// JSON shows, per period, the latest snapshot of the scope's packages in that period.
import type { Dataset } from '../types';
import {
  copyDaysAndPackages,
  dayPeriod,
  dayRange,
  dayValues,
  isoDate,
  packageScope,
  scopeValues,
  textCell,
} from '../sql-fragments';

export const versionAdoption: Dataset = {
  id: 'version_adoption',
  title: 'Version adoption',
  adminOnly: false,
  ownership: 'packages',
  columns: ['package_id', 'version', 'active_tenant_count', 'snapshot_date'],
  table: 'version_adoption_snapshots',
  timeColumn: 'snapshot_date',
  timeType: 'date',
  csvSplitsByTime: false,
  csv: (scope) => ({
    text: `select ${textCell('s.package_id')}, ${textCell('s.version')}, s.active_tenant_count, ${isoDate('s.snapshot_date')}
           from analytics.version_adoption_snapshots s
           where ${copyDaysAndPackages('s', 'snapshot_date', scope)}
           order by s.snapshot_date, s.package_id, s.version`,
    values: { ...scopeValues(scope), ...dayValues(scope) },
  }),
  jsonAggregate: (sql, scope) => sql`
    select v.local_start,
           json_build_object(
             'snapshot_date', to_char(v.snapshot_date, 'YYYY-MM-DD'),
             'versions', json_agg(json_build_object('package_id', v.package_id, 'version', v.version, 'active_tenant_count', v.active_tenant_count)
                                  order by v.active_tenant_count desc, v.package_id, v.version)) as metrics
    from (select ${dayPeriod(sql, scope, 's.snapshot_date')} as local_start, s.snapshot_date, s.package_id, s.version, s.active_tenant_count,
                 max(s.snapshot_date) over (partition by ${dayPeriod(sql, scope, 's.snapshot_date')}) as latest
          from analytics.version_adoption_snapshots s
          where ${dayRange(sql, 's', 'snapshot_date', scope)} ${packageScope(sql, 's', scope)}) v
    where v.snapshot_date = v.latest
    group by v.local_start, v.snapshot_date`,
  emptyMetrics: '{"snapshot_date":null,"versions":[]}',
};
