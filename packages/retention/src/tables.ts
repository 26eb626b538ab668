// The time-series analytics tables retention applies to (CONTRACT §5: all of §2 but publishers and packages),
// derived from the dataset definitions: each dataset names its table, time column and column type, and every
// retained table is read by at least one dataset. Whether a table is partitioned is read from the catalog at
// run time, so a table partitioned later is handled too.
import { allDatasets, type Dataset } from '@ax/datasets';

export type RetentionTable = {
  table: string;
  column: string;
  /** `timestamptz` columns compare with the cutoff instant, `date` columns with the cutoff day. */
  type: Dataset['timeType'];
  /** Whose rows they are: the publisher's packages (`package_id`), the publisher itself (`publisher_id`), or nobody's. */
  ownership: Dataset['ownership'];
};

/** One entry per table (two datasets may read one table), instants first: the event tables, then the daily ones. */
function deriveTables(datasets: readonly Dataset[]): RetentionTable[] {
  const byTable = new Map<string, RetentionTable>();
  for (const d of datasets) {
    const t: RetentionTable = { table: d.table, column: d.timeColumn, type: d.timeType, ownership: d.ownership };
    const seen = byTable.get(d.table);
    if (seen && (seen.column !== t.column || seen.type !== t.type || seen.ownership !== t.ownership))
      throw new Error(`datasets disagree about analytics.${d.table}: ${JSON.stringify(seen)} vs ${JSON.stringify(t)}`);
    byTable.set(d.table, t);
  }
  const rank = (t: RetentionTable) => (t.type === 'timestamptz' ? 0 : 1);
  return [...byTable.values()].sort((a, b) => rank(a) - rank(b));
}

export const RETENTION_TABLES: readonly RetentionTable[] = deriveTables(allDatasets());
