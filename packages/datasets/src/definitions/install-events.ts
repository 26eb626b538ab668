// install_events: raw installs of the scope's packages; JSON counts installs and distinct tenants.
import type { Dataset } from '../types';
import { copyRangeAndPackages, localPeriod, packageScope, scopeValues, readerCells } from '../sql-fragments';

export const installEvents: Dataset = {
  id: 'install_events',
  title: 'Installs',
  adminOnly: false,
  ownership: 'packages',
  columns: ['package_id', 'version', 'tenant_region', 'install_date'],
  table: 'install_events',
  timeColumn: 'install_date',
  timeType: 'timestamptz',
  csvSplitsByTime: true,
  csv: (scope) => {
    const cells = readerCells({
      text: ['e.package_id', 'e.version', 'e.tenant_region'],
      utcTimestamp: 'e.install_date',
    });
    return {
      text: `select ${cells.select}
             from analytics.install_events e
             where ${copyRangeAndPackages('e', 'install_date', scope)}
             order by e.install_date`,
      values: scopeValues(scope),
      ...cells.reader,
    };
  },
  jsonAggregate: (sql, scope) => sql`
    select ${localPeriod(sql, scope, 'e.install_date')} as local_start,
           json_build_object('install_count', count(*), 'unique_tenants', count(distinct e.tenant_id)) as metrics
    from analytics.install_events e
    where e.install_date >= ${scope.from} and e.install_date < ${scope.to} ${packageScope(sql, 'e', scope)}
    group by 1`,
  emptyMetrics: '{"install_count":0,"unique_tenants":0}',
};
