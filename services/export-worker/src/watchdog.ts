// Resolves exports whose job is gone: none may stay queued or running forever. A running export whose
// heartbeat stopped and whose job no longer exists (Redis lost it) is queued again; one whose job failed
// for good is marked failed. Safe on every replica at once: each step is a guarded UPDATE or an idempotent add.
import { failExport, type Sql } from '@ax/db';
import { enqueue, jobCatalog, type Queues } from '@ax/jobs';
import type { Logger } from '@ax/runtime';

export type WatchdogDeps = { sql: Sql; queues: Queues; logger: Logger };

export async function sweepStalledExports(deps: WatchdogDeps, staleAfterMs = 120_000): Promise<{ requeued: number; failed: number }> {
  const stale = await deps.sql<{ id: string; status: string }[]>`
    select id, status from app.exports
    where (status = 'running' and heartbeat_at < now() - ${staleAfterMs / 1000} * interval '1 second')
       or (status = 'queued' and created_at < now() - ${staleAfterMs / 1000} * interval '1 second')
    order by created_at
    limit 500`;
  let requeued = 0;
  let failed = 0;
  for (const row of stale) {
    const jobId = jobCatalog['export.run'].jobId({ exportId: row.id });
    const state = await deps.queues.exports.getJobState(jobId);
    if (state === 'unknown') {
      const moved = await deps.sql`
        update app.exports set status = 'queued', heartbeat_at = now()
        where id = ${row.id} and status = ${row.status} returning id`;
      if (moved.length) {
        await enqueue(deps.queues, 'export.run', { exportId: row.id });
        requeued++;
        deps.logger.warn({ exportId: row.id, was: row.status }, 'export had no job; queued again');
      }
    } else if (state === 'failed' || state === 'completed') {
      const job = await deps.queues.exports.getJob(jobId);
      if (await failExport(deps.sql, row.id, 'stalled', `The export stopped without finishing (${job?.failedReason ?? state}); please request it again.`)) {
        failed++;
        deps.logger.warn({ exportId: row.id, state }, 'export job ended without a result; marked failed');
      }
    }
  }
  return { requeued, failed };
}
