// reviews: star ratings of the scope's packages. Reviewer identity (reviewer_id, body) is never selected.
import type { Dataset } from '../types';
import { copyRangeAndPackages, localPeriod, packageScope, scopeValues, readerCells } from '../sql-fragments';

export const reviews: Dataset = {
  id: 'reviews',
  title: 'Reviews',
  adminOnly: false,
  ownership: 'packages',
  columns: ['package_id', 'star_rating', 'review_date'],
  table: 'reviews',
  timeColumn: 'review_date',
  timeType: 'timestamptz',
  csvSplitsByTime: true,
  csv: (scope) => {
    const cells = readerCells({ text: ['r.package_id'], other: ['r.star_rating'], utcTimestamp: 'r.review_date' });
    return {
      text: `select ${cells.select}
             from analytics.reviews r
             where ${copyRangeAndPackages('r', 'review_date', scope)}
             order by r.review_date, r.review_id`,
      values: scopeValues(scope),
      ...cells.reader,
    };
  },
  jsonAggregate: (sql, scope) => sql`
    select ${localPeriod(sql, scope, 'r.review_date')} as local_start,
           json_build_object(
             'review_count', count(*),
             'average_rating', round(avg(r.star_rating), 2),
             'rating_counts', json_build_object(
               '1', count(*) filter (where r.star_rating = 1),
               '2', count(*) filter (where r.star_rating = 2),
               '3', count(*) filter (where r.star_rating = 3),
               '4', count(*) filter (where r.star_rating = 4),
               '5', count(*) filter (where r.star_rating = 5))) as metrics
    from analytics.reviews r
    where r.review_date >= ${scope.from} and r.review_date < ${scope.to} ${packageScope(sql, 'r', scope)}
    group by 1`,
  emptyMetrics: '{"review_count":0,"average_rating":null,"rating_counts":{"1":0,"2":0,"3":0,"4":0,"5":0}}',
};
