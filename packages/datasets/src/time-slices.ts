// Splitting a raw-rows CSV export into consecutive time ranges of about equal rows, so PostgreSQL can copy them
// in parallel (see withCopyStream). Only for datasets whose CSVs concatenate by time (csvSplitsByTime).
import type { Sql } from '@ax/db';
import { packageScope, publisherScope } from './sql-fragments';
import type { Dataset, DatasetScope } from './types';

/** Below this many estimated rows per slice, one backend is quick enough and another connection is not worth it. */
export const MIN_ROWS_PER_SLICE = 250_000;
/** Rows the sample aims at: plenty for the cut points of 16 slices and a row count within a few percent. */
export const SAMPLE_ROWS = 20_000;
/** Fewer sampled rows than this per slice, and the sample says little about where the rows are: split the time. */
const MIN_SAMPLE_PER_SLICE = 20;

export type SliceOptions = { maxSlices: number; minRowsPerSlice?: number; sampleRows?: number };

/**
 * The share of the table's blocks to sample, in percent, for about `sampleRows` rows out of `estimatedRows`: at most
 * 1% (small tables), at least 0.01%. Reading a block costs ~0.5 ms when it is not cached (a 1% sample of 5M rows
 * took 0.3–0.6 s), so large tables get a smaller share: the sample's size, not the table's, sets the precision.
 */
export function samplePercent(estimatedRows: number, sampleRows = SAMPLE_ROWS): number {
  return Math.min(1, Math.max(0.01, (100 * sampleRows) / Math.max(estimatedRows, 1)));
}

/**
 * The scope cut into up to `maxSlices` consecutive ranges. The row estimate and the cut points come from a block
 * sample of the dataset's table under the same filters, sized from the planner's estimate; a small export stays one
 * slice.
 */
export async function planTimeSlices(sql: Sql, dataset: Dataset, scope: DatasetScope, options: SliceOptions): Promise<DatasetScope[]> {
  if (!dataset.csvSplitsByTime || options.maxSlices < 2) return [scope];
  const minRows = options.minRowsPerSlice ?? MIN_ROWS_PER_SLICE;
  const col = sql.unsafe(`x.${dataset.timeColumn}`);
  const table = sql.unsafe(`analytics.${dataset.table}`);
  const owner = dataset.ownership === 'packages' ? packageScope(sql, 'x', scope) : dataset.ownership === 'publisher' ? publisherScope(sql, 'x', scope) : sql``;
  const where = sql`where ${col} >= ${scope.from} and ${col} < ${scope.to} ${owner}`;
  const [plan] = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>`explain (format json) select 1 from ${table} x ${where}`;
  const percent = samplePercent(plan!['QUERY PLAN'][0].Plan['Plan Rows'], options.sampleRows);
  const [row] = await sql<{ n: number; cuts: Date[] | null }[]>`
    with s as (select ${col} as t from ${table} x tablesample system (${percent}) ${where})
    select (select count(*)::int from s) as n,
           (select percentile_disc(${fractions(options.maxSlices)}::float8[]) within group (order by t) from s) as cuts`;
  const sampled = row!.n;
  const slices = minRows === 0 ? options.maxSlices : Math.min(options.maxSlices, Math.floor((sampled * 100) / percent / minRows));
  if (slices < 2) return [scope];
  const cuts = sampled >= MIN_SAMPLE_PER_SLICE * slices && slices === options.maxSlices ? row!.cuts : null;
  return sliceRanges(scope, slices, cuts);
}

/** `count - 1` evenly spaced fractions: the cut points of `count` equal slices. */
const fractions = (count: number) => Array.from({ length: count - 1 }, (_, i) => (i + 1) / count);

/**
 * Consecutive ranges covering [scope.from, scope.to) exactly: at the given cut points when there are any (duplicates
 * and points outside the range dropped), otherwise `count` equal stretches of time.
 */
export function sliceRanges(scope: DatasetScope, count: number, cuts: Date[] | null): DatasetScope[] {
  const from = scope.from.getTime();
  const to = scope.to.getTime();
  const points = cuts
    ? cuts.map((c) => c.getTime())
    : Array.from({ length: count - 1 }, (_, i) => Math.round(from + ((to - from) * (i + 1)) / count));
  const inner = [...new Set(points)].filter((t) => t > from && t < to).sort((a, b) => a - b);
  const bounds = [from, ...inner, to];
  return bounds.slice(0, -1).map((start, i) => ({ ...scope, from: new Date(start), to: new Date(bounds[i + 1]!) }));
}
