// The bytes of one export, read from PostgreSQL, in either format: the CSV file (header, then COPY of its time
// slices) or the JSON document (built in the aggregate session), each with a count of what has gone out so far.
import { Readable } from 'node:stream';
import { withAggregateSession, withCopyStream, type CopyPool, type ExportRow, type Sql } from '@ax/db';
import { jsonDocument } from './json-frame';
import { planTimeSlices } from './time-slices';
import type { Dataset, DatasetScope } from './types';

export type SourceDeps = {
  /** Analytics reads: postgres.js for JSON aggregates and slice plans, node-postgres for COPY. May point at a replica. */
  analyticsSql: Sql;
  copyPool: CopyPool;
  /** Connections one CSV export may copy with at once (its time slices); the copy pool needs this many per export. */
  copyParallelism?: number;
  /** Rows per slice below which an export is not split (tests lower it). */
  minRowsPerSlice?: number;
  /** Where later slices wait their turn on disk; default: the system's temporary directory. */
  spoolDir?: string;
  /** EXPORT_SPOOL_MAX_BYTES: an export whose later slices would spool more (estimated) gets fewer slices. */
  spoolMaxBytes?: number;
};

export type ExportSource = {
  /** The whole file: a CSV's header and records, or a JSON document. */
  readable: Readable;
  /** CSV records or JSON periods read so far: the export's row count once `readable` has ended. */
  readonly count: number;
  /** COPY statements running at once (a CSV's time slices); 1 for JSON. */
  slices: number;
};

/**
 * Spool bytes per estimated row, on the safe side: the raw-rows CSVs run 48 (install_events, 241 MB per 5M rows) to
 * ~70 bytes a row.
 */
const SPOOL_BYTES_PER_ROW = 100;

/** Runs `consume` on the export's source; its connections are released (or cancelled, on failure) when it returns. */
export function withExportSource<T>(
  deps: SourceDeps,
  dataset: Dataset,
  row: ExportRow,
  consume: (source: ExportSource) => Promise<T>,
): Promise<T> {
  return row.format === 'csv'
    ? withCsvSource(deps, dataset, row, consume)
    : withJsonSource(deps, dataset, row, consume);
}

async function withCsvSource<T>(
  deps: SourceDeps,
  dataset: Dataset,
  row: ExportRow,
  consume: (source: ExportSource) => Promise<T>,
): Promise<T> {
  const slices = await planTimeSlices(deps.analyticsSql, dataset, exportScope(row), {
    maxSlices: deps.copyParallelism ?? 1,
    minRowsPerSlice: deps.minRowsPerSlice,
    maxSpoolRows: deps.spoolMaxBytes === undefined ? undefined : Math.floor(deps.spoolMaxBytes / SPOOL_BYTES_PER_ROW),
  });
  return withCopyStream(
    deps.copyPool,
    slices.map((s) => dataset.csv(s)),
    (csv) =>
      consume({
        readable: csv,
        get count() {
          return csv.records;
        },
        slices: slices.length,
      }),
    { prefix: csvHeader(dataset.columns, row.csv_bom), spoolDir: deps.spoolDir },
  );
}

function withJsonSource<T>(
  deps: SourceDeps,
  dataset: Dataset,
  row: ExportRow,
  consume: (source: ExportSource) => Promise<T>,
): Promise<T> {
  return withAggregateSession(deps.analyticsSql, (conn) => {
    const doc = jsonDocument(conn, dataset, exportScope(row), {
      dataset: dataset.id,
      granularity: row.granularity,
      timezone: row.timezone,
      from: row.from_input,
      to: row.to_input,
    });
    let periods = 0;
    const counted = (async function* () {
      for await (const piece of doc) {
        periods += piece.periods;
        yield Buffer.from(piece.text, 'utf8');
      }
    })();
    return consume({
      readable: Readable.from(counted),
      get count() {
        return periods;
      },
      slices: 1,
    });
  });
}

/** The CSV header line (CONTRACT §3 columns), with the optional UTF-8 byte-order mark before it. */
export const csvHeader = (columns: readonly string[], bom: boolean): Buffer =>
  Buffer.from(`${bom ? '\uFEFF' : ''}${columns.join(',')}\r\n`, 'utf8');

/** What an export row asks for, as a dataset query's scope. */
export function exportScope(row: ExportRow): DatasetScope {
  return {
    from: row.range_from,
    to: row.range_to,
    timezone: row.timezone,
    granularity: row.granularity,
    publisherId: row.scope_publisher_id,
    packageIds: row.filters.package_ids ?? null,
  };
}
