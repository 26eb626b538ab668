// geographic_summary: installs of the scope's packages counted per country and local calendar period.
// CSV `period_date` is the first day of the calendar period (day, Monday of the ISO week, 1st of the month)
// in the export's time zone, also for a first or last period that the range cuts short.
import type { Dataset } from '../types';
import {
  copyLocalPeriod,
  copyRangeAndPackages,
  isoDate,
  localPeriod,
  packageScope,
  periodValues,
  scopeValues,
  textCell,
} from '../sql-fragments';

export const geographicSummary: Dataset = {
  id: 'geographic_summary',
  title: 'Installs by country',
  adminOnly: false,
  ownership: 'packages',
  columns: ['country_code', 'period_date', 'install_count'],
  table: 'install_events',
  timeColumn: 'install_date',
  timeType: 'timestamptz',
  csvSplitsByTime: false,
  csv: (scope) => ({
    text: `select ${textCell('g.country_code')}, ${isoDate('g.period')}, g.install_count
           from (select e.country_code::text as country_code, ${copyLocalPeriod('e.install_date')} as period, count(*) as install_count
                 from analytics.install_events e
                 where ${copyRangeAndPackages('e', 'install_date', scope)}
                 group by 1, 2) g
           order by g.period, g.country_code`,
    values: { ...scopeValues(scope), ...periodValues(scope) },
  }),
  jsonAggregate: (sql, scope) => sql`
    select g.local_start,
           json_build_object('install_count', sum(g.n), 'countries', json_object_agg(g.country_code, g.n order by g.country_code)) as metrics
    from (select ${localPeriod(sql, scope, 'e.install_date')} as local_start, e.country_code::text as country_code, count(*) as n
          from analytics.install_events e
          where e.install_date >= ${scope.from} and e.install_date < ${scope.to} ${packageScope(sql, 'e', scope)}
          group by 1, 2) g
    group by g.local_start`,
  emptyMetrics: '{"install_count":0,"countries":{}}',
};
