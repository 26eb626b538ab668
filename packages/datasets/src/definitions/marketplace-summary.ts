// marketplace_summary (admins only): the marketplace's daily totals. `summary_date` is a local day of the
// export's time zone, in range when its midnight there lies in [from, to) (local-days.ts).
// JSON sums the daily counts per period, except active_publishers: a count of distinct publishers per day
// cannot be summed, so the period shows its largest daily value.
import type { Dataset } from '../types';
import { copyDays, dayPeriod, dayRange, dayValues, isoDate } from '../sql-fragments';

export const marketplaceSummary: Dataset = {
  id: 'marketplace_summary',
  title: 'Marketplace summary',
  adminOnly: true,
  ownership: 'none',
  columns: ['summary_date', 'total_installs', 'active_publishers', 'new_packages', 'certifications_granted'],
  table: 'marketplace_daily_summary',
  timeColumn: 'summary_date',
  timeType: 'date',
  csvSplitsByTime: false,
  csv: (scope) => ({
    text: `select ${isoDate('m.summary_date')}, m.total_installs, m.active_publishers, m.new_packages, m.certifications_granted
           from analytics.marketplace_daily_summary m
           where ${copyDays('m', 'summary_date')}
           order by m.summary_date`,
    values: dayValues(scope),
  }),
  jsonAggregate: (sql, scope) => sql`
    select ${dayPeriod(sql, scope, 'm.summary_date')} as local_start,
           json_build_object('total_installs', sum(m.total_installs), 'new_packages', sum(m.new_packages),
                             'certifications_granted', sum(m.certifications_granted), 'active_publishers', max(m.active_publishers)) as metrics
    from analytics.marketplace_daily_summary m
    where ${dayRange(sql, 'm', 'summary_date', scope)}
    group by 1`,
  emptyMetrics: '{"total_installs":0,"new_packages":0,"certifications_granted":0,"active_publishers":0}',
};
