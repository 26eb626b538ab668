// Export files live EXPORT_FILE_TTL_DAYS after they were written (CONTRACT §6.5): an hourly job deletes older ones
// and marks their exports 'expired'. Object first, then the row: a sweep that dies in between leaves a succeeded
// export without a file for at most an hour, never a file past its time that nobody will look at again.
import { listExpiringExports, markExportExpired, recordMaintenanceRun, type Sql } from '@ax/db';
import { jobCatalog, type Queues } from '@ax/jobs';
import type { Logger } from '@ax/runtime';
import { deleteObject, type Storage } from '@ax/storage';

/** Stable: BullMQ keys the scheduler by this id in Redis. */
export const EXPIRY_SCHEDULER_ID = 'export-file-expiry';
export const EXPIRY_PATTERN = '7 * * * *';
/** The app.maintenance_runs row of the sweep; a sweep older than MISSED_SWEEP_AFTER_MS is caught up at once. */
export const EXPIRY_JOB = 'export-file-expiry';
export const MISSED_SWEEP_AFTER_MS = 2 * 3600_000;

export type ExpiryDeps = { sql: Sql; storage: Storage; ttlDays: number; logger?: Logger; batchSize?: number };

export async function declareExpirySchedule(queues: Pick<Queues, 'retention'>): Promise<void> {
  await queues.retention.upsertJobScheduler(
    EXPIRY_SCHEDULER_ID,
    { pattern: EXPIRY_PATTERN, tz: 'UTC' },
    { name: 'files.expire', data: {}, opts: jobCatalog['files.expire'].options },
  );
}

/** Deletes every file past its TTL and marks its export expired; returns how many. Safe to run on many replicas. */
export async function sweepExpiredFiles(deps: ExpiryDeps, signal?: AbortSignal): Promise<number> {
  const batch = deps.batchSize ?? 200;
  let expired = 0;
  for (;;) {
    const due = await listExpiringExports(deps.sql, deps.ttlDays, batch);
    for (const e of due) {
      if (signal?.aborted) return expired;
      // DeleteObject of a missing key succeeds: a replica that got here first leaves nothing to fail on.
      if (e.s3_key) await deleteObject(deps.storage, e.s3_key);
      if (await markExportExpired(deps.sql, e.id)) expired++;
    }
    if (due.length < batch) break;
  }
  await recordMaintenanceRun(deps.sql, EXPIRY_JOB);
  if (expired) deps.logger?.info({ expired, ttlDays: deps.ttlDays }, 'expired export files deleted');
  return expired;
}
