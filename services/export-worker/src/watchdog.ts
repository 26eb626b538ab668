// Resolves exports whose job is gone: none may stay queued or running forever. A running export whose
// heartbeat stopped and whose job no longer exists (Redis lost it) is queued again; one whose job failed
// for good is marked failed. Safe on every replica at once: each step is a guarded UPDATE or an idempotent add.
import { failExport, findStalledExports, requeueExport, type Sql } from '@ax/db';
import { enqueue, jobCatalog, type Queues } from '@ax/jobs';
import type { Logger } from '@ax/runtime';

export type WatchdogDeps = { sql: Sql; queues: Queues; logger: Logger };

export async function sweepStalledExports(
  deps: WatchdogDeps,
  staleAfterMs = 120_000,
): Promise<{ requeued: number; failed: number }> {
  let requeued = 0;
  let failed = 0;
  for (const row of await findStalledExports(deps.sql, staleAfterMs)) {
    const jobId = jobCatalog['export.run'].jobId({ exportId: row.id });
    const state = await deps.queues.exports.getJobState(jobId);
    if (state === 'unknown') {
      if (await requeueExport(deps.sql, row.id, row.status)) {
        await enqueue(deps.queues, 'export.run', { exportId: row.id });
        requeued++;
        deps.logger.warn({ exportId: row.id, was: row.status }, 'export had no job; queued again');
      }
    } else if (state === 'failed' || state === 'completed') {
      const job = await deps.queues.exports.getJob(jobId);
      if (
        await failExport(
          deps.sql,
          row.id,
          'stalled',
          `The export stopped without finishing (${job?.failedReason ?? state}); please request it again.`,
        )
      ) {
        failed++;
        deps.logger.warn({ exportId: row.id, state }, 'export job ended without a result; marked failed');
      }
    }
  }
  return { requeued, failed };
}
