// The JSON document of CONTRACT §3: every period of [from, to) in order, zero-filled, built by PostgreSQL.
import type { Sql } from '@ax/db';
import type { Dataset, DatasetScope } from './types';

export type JsonPiece = { text: string; periods: number };

export type JsonHeader = { dataset: string; granularity: string; timezone: string; from: string; to: string };

/**
 * Yields the document in pieces: header, one object per period, footer. Periods come from
 * generate_series over local calendar units, so DST changes never shift a boundary.
 */
export async function* jsonDocument(
  sql: Sql,
  dataset: Dataset,
  scope: DatasetScope,
  header: JsonHeader,
): AsyncGenerator<JsonPiece> {
  const tz = scope.timezone;
  const step = `1 ${scope.granularity}`;
  const periods = sql`
    with starts as (
      select gs as local_start
      from generate_series(date_trunc(${scope.granularity}, ${scope.from}::timestamptz at time zone ${tz}),
                           ${scope.to}::timestamptz at time zone ${tz} - interval '1 microsecond',
                           ${step}::interval) gs
    ),
    agg as (${dataset.jsonAggregate(sql, scope)}),
    bounded as (
      select s.local_start,
             greatest(${scope.from}::timestamptz, s.local_start at time zone ${tz}) as p_start,
             least(${scope.to}::timestamptz, (s.local_start + ${step}::interval) at time zone ${tz}) as p_end,
             a.metrics::text as metrics
      from starts s left join agg a on a.local_start = s.local_start
    )
    select ${renderBound(sql, tz, 'p_start')} as period_start,
           ${renderBound(sql, tz, 'p_end')} as period_end,
           metrics
    from bounded
    order by local_start`;

  yield {
    periods: 0,
    text:
      `{"dataset":${JSON.stringify(header.dataset)},"granularity":${JSON.stringify(header.granularity)},` +
      `"timezone":${JSON.stringify(header.timezone)},"from":${JSON.stringify(header.from)},"to":${JSON.stringify(header.to)},"periods":[`,
  };
  let first = true;
  for await (const rows of periods.cursor(500)) {
    let text = '';
    for (const r of rows as { period_start: string; period_end: string; metrics: string | null }[]) {
      text += `${first ? '' : ','}{"period_start":${JSON.stringify(r.period_start)},"period_end":${JSON.stringify(r.period_end)},"metrics":${r.metrics ?? dataset.emptyMetrics}}`;
      first = false;
    }
    yield { text, periods: rows.length };
  }
  yield { text: ']}', periods: 0 };
}

/** A bound at local midnight reads as its local date; a clipped mid-day bound as a UTC timestamp. */
function renderBound(sql: Sql, tz: string, col: string) {
  const c = sql.unsafe(col);
  return sql`case when (${c} at time zone ${tz})::time = '00:00'
                  then to_char(${c} at time zone ${tz}, 'YYYY-MM-DD')
                  else to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end`;
}
