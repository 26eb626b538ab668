// Stage 6 of an export: its outcome, recorded once. A stored file completes the row, or is removed when the export
// was cancelled meanwhile; a failure ends as a cancellation, a hand-back for a shutdown, a retry or a failed export.
import { completeExport, failExport, releaseExport, type Sql } from '@ax/db';
import { HandBack, PermanentError } from '@ax/jobs';
import type { Metrics } from '@ax/runtime';
import { deleteObject, type Storage } from '@ax/storage';
import { classify, gaveUpMessage } from '../failures';
import { notifyFinished, type FinishedHook } from '../finished-hook';
import type { ClaimedExport } from './claim';
import type { Encoded } from './encode';
import type { ExportRun } from './export-run';

export type RecordDeps = {
  sql: Sql;
  storage: Storage;
  metrics?: Metrics;
  /** Called once an export reaches a final state (scheduled reports hook their delivery here). */
  onFinished?: FinishedHook;
};

export async function recordSuccess(
  deps: RecordDeps,
  claimed: ClaimedExport,
  run: ExportRun,
  encoded: Encoded,
): Promise<void> {
  const { row, file, key, logger } = claimed;
  const rows = run.rows;
  const stored = await completeExport(deps.sql, row.id, {
    row_count: rows,
    bytes: encoded.bytes,
    sha256: encoded.sha256,
    content_type: file.contentType,
    file_name: file.name,
    s3_key: key,
  });
  if (!stored) {
    await deleteObject(deps.storage, key).catch(() => {});
    return logger.info('export was cancelled while finishing; object removed');
  }
  deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'succeeded' });
  deps.metrics?.rowsWritten.inc({ dataset: row.dataset }, rows);
  deps.metrics?.bytesWritten.inc({ dataset: row.dataset }, encoded.bytes);
  logger.info({ rows, bytes: encoded.bytes }, 'export succeeded');
  await finished(deps, claimed, run, 'succeeded');
}

/** Returns when the failure ends the job quietly (a cancellation); otherwise throws what the queue should see. */
export async function recordFailure(
  deps: RecordDeps,
  claimed: ClaimedExport,
  run: ExportRun,
  err: unknown,
): Promise<void> {
  const { row, key, logger } = claimed;
  const { ctx } = run;
  if (run.cancelled) {
    // Shutting down too: the deadline leaves little time, and an upload stopped before its end left no object.
    await deleteObject(deps.storage, key, AbortSignal.timeout(run.shuttingDown ? 1000 : 10_000)).catch(() => {});
    deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'cancelled' });
    return logger.info('export cancelled');
  }
  if (run.shuttingDown) {
    // The worker is shutting down: the upload was aborted (nothing is visible at the key), so the export goes
    // back to queued and its job back to the queue, for another worker to start over; not a failed attempt.
    const released = await releaseExport(deps.sql, row.id);
    logger.info({ released, rows: run.rows }, 'export interrupted by shutdown; handed back for another worker');
    throw new HandBack('worker shutting down');
  }
  const failure = classify(err);
  logger.warn(
    { err: (err as Error).message, code: failure.code, transient: failure.transient },
    'export attempt failed',
  );
  if (!failure.transient || ctx.finalAttempt) {
    await failExport(
      deps.sql,
      row.id,
      failure.code,
      failure.transient ? gaveUpMessage(failure, ctx.attempt) : failure.message,
    );
    deps.metrics?.exportsTotal.inc({ dataset: row.dataset, format: row.format, outcome: 'failed' });
    await finished(deps, claimed, run, 'failed');
    if (!failure.transient) throw new PermanentError(failure.code, failure.message);
  }
  throw err;
}

async function finished(
  deps: RecordDeps,
  claimed: ClaimedExport,
  run: ExportRun,
  outcome: 'succeeded' | 'failed',
): Promise<void> {
  if (!deps.onFinished) return;
  await notifyFinished(deps.onFinished, claimed.row, outcome, {
    stopping: run.ctx.stopping,
    cancel: run.ctx.signal,
    logger: claimed.logger,
  });
}
