// leaderboard_history (admins only): publisher leaderboard snapshots. `snapshot_date` is a local day of the
// export's time zone, in range when its midnight there lies in [from, to) (local-days.ts).
// JSON shows, per period, the latest snapshot in that period, by rank.
import type { Dataset } from '../types';
import { copyDays, dayPeriod, dayRange, dayValues, isoDate, textCell } from '../sql-fragments';

export const leaderboardHistory: Dataset = {
  id: 'leaderboard_history',
  title: 'Publisher leaderboard',
  adminOnly: true,
  ownership: 'none',
  columns: ['snapshot_date', 'publisher_id', 'rank', 'weighted_score', 'tier'],
  table: 'publisher_leaderboard_snapshots',
  timeColumn: 'snapshot_date',
  timeType: 'date',
  csvSplitsByTime: false,
  csv: (scope) => ({
    text: `select ${isoDate('l.snapshot_date')}, ${textCell('l.publisher_id')}, l.rank, l.weighted_score, ${textCell('l.tier')}
           from analytics.publisher_leaderboard_snapshots l
           where ${copyDays('l', 'snapshot_date')}
           order by l.snapshot_date, l.rank, l.publisher_id`,
    values: dayValues(scope),
  }),
  jsonAggregate: (sql, scope) => sql`
    select v.local_start,
           json_build_object(
             'snapshot_date', to_char(v.snapshot_date, 'YYYY-MM-DD'),
             'entries', json_agg(json_build_object('publisher_id', v.publisher_id, 'rank', v.rank, 'weighted_score', v.weighted_score, 'tier', v.tier)
                                 order by v.rank, v.publisher_id)) as metrics
    from (select ${dayPeriod(sql, scope, 'l.snapshot_date')} as local_start, l.snapshot_date, l.publisher_id, l.rank, l.weighted_score, l.tier,
                 max(l.snapshot_date) over (partition by ${dayPeriod(sql, scope, 'l.snapshot_date')}) as latest
          from analytics.publisher_leaderboard_snapshots l
          where ${dayRange(sql, 'l', 'snapshot_date', scope)}) v
    where v.snapshot_date = v.latest
    group by v.local_start, v.snapshot_date`,
  emptyMetrics: '{"snapshot_date":null,"entries":[]}',
};
