// Runs one export: claim the row, stream the dataset through its encoder into S3, record the result.
import { createGzip } from 'node:zlib';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import {
  claimExport, completeExport, failExport, releaseExport, reportProgress, withAggregateSession, withCopyStream,
  type ExportRow, type Sql,
} from '@ax/db';
import { getDataset, jsonDocument, planTimeSlices, type DatasetScope } from '@ax/datasets';
import { HandBack, PermanentError, type JobContext } from '@ax/jobs';
import type { Metrics } from '@ax/runtime';
import { deleteObject, exportFile, exportKey, uploadStream, type Storage } from '@ax/storage';
import { csvHeader } from './encoders/csv-header';
import { Digest } from './encoders/digest';
import { classify, gaveUpMessage } from './failures';
import { notifyFinished, type FinishedHook } from './finished-hook';

export type ExportDeps = {
  sql: Sql;
  /** Analytics reads: postgres.js for JSON aggregates, node-postgres for COPY. May point at a replica. */
  analyticsSql: Sql;
  copyPool: pg.Pool;
  /** Connections one CSV export may copy with at once (its time slices); the copy pool needs this many per export. */
  copyParallelism?: number;
  /** Rows per slice below which an export is not split (tests lower it). */
  minRowsPerSlice?: number;
  /** Where later slices wait their turn on disk; default: the system's temporary directory. */
  spoolDir?: string;
  /** EXPORT_SPOOL_MAX_BYTES: an export whose later slices would spool more (estimated) gets fewer slices. */
  spoolMaxBytes?: number;
  storage: Storage;
  metrics?: Metrics;
  progressIntervalMs?: number;
  /** Called once an export reaches a final state (scheduled reports hook their delivery here). */
  onFinished?: FinishedHook;
};

class Cancelled extends Error {}

/**
 * Spool bytes per estimated row, on the safe side: the raw-rows CSVs run 48 (install_events, 241 MB per 5M rows) to
 * ~70 bytes a row.
 */
const SPOOL_BYTES_PER_ROW = 100;

export async function runExport(payload: { exportId: string }, deps: ExportDeps, ctx: JobContext): Promise<void> {
  const row = await claimExport(deps.sql, payload.exportId);
  if (!row) return ctx.logger.info({ exportId: payload.exportId }, 'export is no longer queued; nothing to do');
  const logger = ctx.logger.child({ exportId: row.id, dataset: row.dataset });
  const dataset = getDataset(row.dataset);
  if (!dataset) {
    await failExport(deps.sql, row.id, 'unknown_dataset', `Dataset ${row.dataset} does not exist.`);
    throw new PermanentError('unknown_dataset', `unknown dataset ${row.dataset}`);
  }

  const file = exportFile(row);
  const key = exportKey(row.id, file.name);
  const abort = new AbortController();
  // Once every byte is encoded, a cancelled export's upload is left to complete: aborting it then would race its
  // CompleteMultipartUpload, and the object could appear after we deleted it. A shutdown aborts it whatever the
  // stage, even after a cancellation (the last parts may be stuck on a stalled store, and the deadline will not
  // wait): the export is handed back, and whoever runs it next writes the same key.
  const uploadAbort = new AbortController();
  let encoded = false;
  abort.signal.addEventListener('abort', () => {
    if (!encoded || !(abort.signal.reason instanceof Cancelled)) uploadAbort.abort(abort.signal.reason);
  }, { once: true });
  const onJobAbort = () => {
    abort.abort(ctx.signal.reason);
    uploadAbort.abort(ctx.signal.reason);
  };
  const finished = async (outcome: 'succeeded' | 'failed') => {
    if (deps.onFinished) await notifyFinished(deps.onFinished, row.id, outcome, { stopping: ctx.stopping, cancel: ctx.signal, logger });
  };
  ctx.signal.addEventListener('abort', onJobAbort, { once: true });
  if (ctx.signal.aborted) onJobAbort();
  let rows = 0;
  const progress = setInterval(() => {
    reportProgress(deps.sql, row.id, rows).then(
      (running) => void (running || abort.abort(new Cancelled('export cancelled'))),
      () => {}, // a missed progress update is harmless
    );
  }, deps.progressIntervalMs ?? 1000);

  try {
    logger.info({ attempt: ctx.attempt }, 'export started');
    const digest = new Digest();
    const body = new PassThrough();
    const encoders: Transform[] = row.compression === 'gzip' ? [createGzip({ level: 1, chunkSize: 128 * 1024 })] : [];
    const upload = uploadStream(deps.storage, key, body, { contentType: file.contentType, fileName: file.name }, uploadAbort.signal);
    const encode = (stages: (NodeJS.ReadableStream | NodeJS.ReadWriteStream | NodeJS.WritableStream)[]) =>
      settle(pipeline(stages, { signal: abort.signal }).then(() => void (encoded = true)), upload);

    if (row.format === 'csv') {
      const scope = scopeOf(row);
      const slices = await planTimeSlices(deps.analyticsSql, dataset, scope, {
        maxSlices: deps.copyParallelism ?? 1, minRowsPerSlice: deps.minRowsPerSlice,
        maxSpoolRows: deps.spoolMaxBytes === undefined ? undefined : Math.floor(deps.spoolMaxBytes / SPOOL_BYTES_PER_ROW),
      });
      if (slices.length > 1) logger.info({ slices: slices.length }, 'copying in time slices');
      let source: { records: number } | null = null;
      const counting = setInterval(() => (rows = source?.records ?? 0), 200);
      try {
        await withCopyStream(deps.copyPool, slices.map((s) => dataset.csv(s)), (csv) => {
          source = csv;
          return encode([csv, ...encoders, digest, body]);
        }, { prefix: csvHeader(dataset.columns, row.csv_bom), spoolDir: deps.spoolDir });
      } finally {
        clearInterval(counting);
      }
      rows = (source as { records: number } | null)?.records ?? 0;
    } else {
      let periods = 0;
      await withAggregateSession(deps.analyticsSql, async (conn) => {
        const doc = jsonDocument(conn, dataset, scopeOf(row), {
          dataset: dataset.id, granularity: row.granularity, timezone: row.timezone, from: row.from_input, to: row.to_input,
        });
        const counted = (async function* () {
          for await (const piece of doc) {
            periods += piece.periods;
            rows = periods;
            yield Buffer.from(piece.text, 'utf8');
          }
        })();
        await encode([Readable.from(counted), ...encoders, digest, body]);
      });
      rows = periods;
    }
    // Encoding and upload both finished: the file is complete, so even a shutdown signal now lets it be recorded.
    if (abort.signal.reason instanceof Cancelled) throw abort.signal.reason;

    const stored = await completeExport(deps.sql, row.id, {
      row_count: rows, bytes: digest.bytes, sha256: digest.hex(), content_type: file.contentType, file_name: file.name, s3_key: key,
    });
    if (!stored) {
      await deleteObject(deps.storage, key).catch(() => {});
      return logger.info('export was cancelled while finishing; object removed');
    }
    deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'succeeded' });
    deps.metrics?.rowsWritten.inc({ dataset: row.dataset }, rows);
    deps.metrics?.bytesWritten.inc({ dataset: row.dataset }, digest.bytes);
    logger.info({ rows, bytes: digest.bytes }, 'export succeeded');
    await finished('succeeded');
  } catch (err) {
    if (abort.signal.reason instanceof Cancelled) {
      // Shutting down too: the deadline leaves little time, and an upload stopped before its end left no object.
      await deleteObject(deps.storage, key, AbortSignal.timeout(ctx.signal.aborted ? 1000 : 10_000)).catch(() => {});
      deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'cancelled' });
      return logger.info('export cancelled');
    }
    if (ctx.signal.aborted) {
      // The worker is shutting down: the upload was aborted (nothing is visible at the key), so the export goes
      // back to queued and its job back to the queue, for another worker to start over; not a failed attempt.
      const released = await releaseExport(deps.sql, row.id);
      logger.info({ released, rows }, 'export interrupted by shutdown; handed back for another worker');
      throw new HandBack('worker shutting down');
    }
    const failure = classify(err);
    logger.warn({ err: (err as Error).message, code: failure.code, transient: failure.transient }, 'export attempt failed');
    if (!failure.transient || ctx.finalAttempt) {
      await failExport(deps.sql, row.id, failure.code, failure.transient ? gaveUpMessage(failure, ctx.attempt) : failure.message);
      deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'failed' });
      await finished('failed');
      if (!failure.transient) throw new PermanentError(failure.code, failure.message);
    }
    throw err;
  } finally {
    clearInterval(progress);
    ctx.signal.removeEventListener('abort', onJobAbort);
  }
}

/** Waits for both the encoding pipeline and the upload; the upload's error is the real cause when both fail. */
async function settle(encoding: Promise<void>, upload: Promise<void>): Promise<void> {
  const [e, u] = await Promise.allSettled([encoding, upload]);
  if (u.status === 'rejected') throw u.reason;
  if (e.status === 'rejected') throw e.reason;
}

export function scopeOf(row: ExportRow): DatasetScope {
  return {
    from: row.range_from,
    to: row.range_to,
    timezone: row.timezone,
    granularity: row.granularity,
    publisherId: row.scope_publisher_id,
    packageIds: row.filters.package_ids ?? null,
  };
}
