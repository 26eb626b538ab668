// reputation_events: events on a publisher's own account (not on its packages); a publisher sees only its own.
import type { Dataset } from '../types';
import {
  copyRangeAndPublisher,
  localPeriod,
  publisherScope,
  scopeValues,
  textCell,
  utcTimestamp,
} from '../sql-fragments';

export const reputationEvents: Dataset = {
  id: 'reputation_events',
  title: 'Reputation',
  adminOnly: false,
  ownership: 'publisher',
  columns: ['event_type', 'points', 'event_date', 'source_id'],
  table: 'reputation_events',
  timeColumn: 'event_date',
  timeType: 'timestamptz',
  csvSplitsByTime: true,
  csv: (scope) => ({
    text: `select ${textCell('r.event_type')}, r.points, ${utcTimestamp('r.event_date')}, ${textCell('r.source_id')}
           from analytics.reputation_events r
           where ${copyRangeAndPublisher('r', 'event_date', scope)}
           order by r.event_date, r.event_id`,
    values: scopeValues(scope),
  }),
  jsonAggregate: (sql, scope) => sql`
    select g.local_start,
           json_build_object('event_count', sum(g.n), 'points', sum(g.points),
                             'points_by_event_type', json_object_agg(g.event_type, g.points order by g.event_type)) as metrics
    from (select ${localPeriod(sql, scope, 'r.event_date')} as local_start, r.event_type, count(*) as n, sum(r.points) as points
          from analytics.reputation_events r
          where r.event_date >= ${scope.from} and r.event_date < ${scope.to} ${publisherScope(sql, 'r', scope)}
          group by 1, 2) g
    group by g.local_start`,
  emptyMetrics: '{"event_count":0,"points":0,"points_by_event_type":{}}',
};
