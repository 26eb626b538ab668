// Queue plumbing for the retention worker: maps every job of the retention queue to its handler (the daily
// retention pass and the hourly export-file expiry).
import { createWorker, type Handlers, type WorkerOptions } from '@ax/jobs';
import { sweepExpiredFiles } from './file-expiry';
import { runRetentionJob, type RetentionDeps } from './job';

export function createRetentionWorker(
  deps: RetentionDeps,
  opts: Pick<WorkerOptions, 'connection' | 'prefix' | 'logger' | 'metrics'>,
) {
  const handlers: Handlers<'retention'> = {
    'retention.run': async (payload, ctx) => {
      await runRetentionJob(payload, deps, ctx);
    },
    'files.expire': async (_payload, ctx) => {
      if (!deps.expiry) throw new Error('files.expire needs the S3 settings; this replica has none');
      await sweepExpiredFiles({ ...deps.expiry, sql: deps.sql, logger: ctx.logger }, ctx.signal);
    },
  };
  // One pass at a time per replica (the advisory lock covers replicas); passes can take minutes, the lock renews.
  return createWorker('retention', handlers, { ...opts, concurrency: 1, lockDuration: 120_000 });
}
