// Splitting a raw-rows CSV export into consecutive time ranges of about equal rows, so PostgreSQL can copy them
// in parallel (see withCopyStream). Only for datasets whose CSVs concatenate by time (csvSplitsByTime).
import type { Sql } from '@ax/db';

/** A piece of SQL to embed (sql`…` or sql.unsafe). */
type Fragment = ReturnType<Sql['unsafe']>;
import { packageScope, publisherScope } from './sql-fragments';
import type { Dataset, DatasetScope } from './types';

/** Below this many estimated rows per slice, one backend is quick enough and another connection is not worth it. */
export const MIN_ROWS_PER_SLICE = 250_000;
/**
 * Blocks the sample reads: ~150 blocks of install_events hold ~20k rows, plenty for the cut points of 16 slices and a
 * row count within a few percent. A block read costs ~0.5 ms when it is not cached, so this costs ~75 ms at worst,
 * whatever the size of the table or the filters.
 */
export const SAMPLE_BLOCKS = 150;
/** Fewer sampled rows than this per slice, and the sample says little about where the rows are: split the time. */
const MIN_SAMPLE_PER_SLICE = 20;

export type SliceOptions = {
  maxSlices: number;
  minRowsPerSlice?: number;
  sampleBlocks?: number;
  /** Estimated rows the later slices (spooled to disk while the first streams) may hold at most: past it, fewer slices. */
  maxSpoolRows?: number;
};

/**
 * The share of blocks to sample, in percent, to read about `sampleBlocks` of the `blocks` the range's partitions hold.
 * The blocks are the sample's unit: rows of one block are often close in time, so a small table needs as many blocks
 * as a large one (1% of a 300k-row table, ~22 blocks over two partitions, put a median off by 20% of the rows).
 */
export function samplePercent(blocks: number, sampleBlocks = SAMPLE_BLOCKS): number {
  return Math.min(100, (100 * sampleBlocks) / Math.max(blocks, 1));
}

/**
 * The scope cut into up to `maxSlices` consecutive ranges. The row estimate and the cut points come from a block
 * sample of the partitions that hold the range, under the scope's filters; a small export stays one slice. A selective
 * filter leaves few rows in the sample: below MIN_SAMPLE_PER_SLICE per slice, the time is split evenly instead.
 */
export async function planTimeSlices(
  sql: Sql,
  dataset: Dataset,
  scope: DatasetScope,
  options: SliceOptions,
): Promise<DatasetScope[]> {
  if (!dataset.csvSplitsByTime || options.maxSlices < 2) return [scope];
  const minRows = options.minRowsPerSlice ?? MIN_ROWS_PER_SLICE;
  const col = sql.unsafe(`x.${dataset.timeColumn}`);
  const table = sql.unsafe(`analytics.${dataset.table}`);
  const owner =
    dataset.ownership === 'packages'
      ? packageScope(sql, 'x', scope)
      : dataset.ownership === 'publisher'
        ? publisherScope(sql, 'x', scope)
        : sql``;
  const inRange = sql`${col} >= ${scope.from} and ${col} < ${scope.to}`;
  const where = sql`where ${inRange} ${owner}`;
  // The range's rows before the owner's filter: the planner estimates a time range well from its histogram, but not a
  // filter through packages (20× under, measured). Too few for two slices even at twice the estimate: no sample.
  const plan = await planOf(sql, sql`select 1 from ${table} x where ${inRange}`);
  if (minRows > 0 && plan.rows * 2 < 2 * minRows) return [scope];
  const percent = samplePercent(await blocksOf(sql, partitionsIn(plan.node, dataset.table)), options.sampleBlocks);
  const [row] = await sql<{ n: number; cuts: Date[] | null }[]>`
    with s as (select ${col} as t from ${table} x tablesample system (${percent}) ${where})
    select (select count(*)::int from s) as n,
           (select percentile_disc(${fractions(options.maxSlices)}::float8[]) within group (order by t) from s) as cuts`;
  const sampled = row!.n;
  const estimated = (sampled * 100) / percent;
  let slices = minRows === 0 ? options.maxSlices : Math.min(options.maxSlices, Math.floor(estimated / minRows));
  // Slices 2..n spool (n-1)/n of the rows: bound the disk one export may fill (EXPORT_SPOOL_MAX_BYTES).
  while (
    options.maxSpoolRows !== undefined &&
    slices >= 2 &&
    (estimated * (slices - 1)) / slices > options.maxSpoolRows
  )
    slices--;
  if (slices < 2) return [scope];
  const cuts = sampled >= MIN_SAMPLE_PER_SLICE * slices && slices === options.maxSlices ? row!.cuts : null;
  return sliceRanges(scope, slices, cuts);
}

/** The planner's view of a query: its estimated rows and its plan (partitions pruned at plan time: values are bound). */
async function planOf(sql: Sql, query: Fragment): Promise<{ rows: number; node: PlanNode }> {
  const [plan] = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>`explain (format json) ${query}`;
  const node = plan!['QUERY PLAN'][0].Plan;
  return { rows: node['Plan Rows'] ?? 0, node };
}

/** The blocks the named relations of schema analytics hold. */
async function blocksOf(sql: Sql, names: string[]): Promise<number> {
  const [row] = await sql<{ blocks: number }[]>`
    select (coalesce(sum(pg_relation_size(c.oid)), 0) / current_setting('block_size')::int)::float8 as blocks
    from pg_class c where c.relnamespace = 'analytics'::regnamespace and c.relname = any(${names}::text[])`;
  return row!.blocks;
}

type PlanNode = { 'Relation Name'?: string; 'Plan Rows'?: number; Plans?: PlanNode[] };
const relationNames = (node: PlanNode): string[] => [
  ...(node['Relation Name'] ? [node['Relation Name']] : []),
  ...(node.Plans ?? []).flatMap(relationNames),
];
/** The partitions (or the table itself) of `table` that a plan reads; not the tables its filters look up. */
const partitionsIn = (node: PlanNode, table: string) =>
  [...new Set(relationNames(node))].filter((n) => n === table || n.startsWith(`${table}_p`));

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
