// Queue plumbing for the retention worker: maps every job of the retention queue to its handler.
import type { Redis } from 'ioredis';
import { createWorker, type Handlers } from '@ax/jobs';
import type { Logger, Metrics } from '@ax/runtime';
import { runRetentionJob, type RetentionDeps } from './job';

export function createRetentionWorker(
  deps: RetentionDeps,
  opts: { connection: Redis; prefix: string; logger: Logger; metrics?: Metrics },
) {
  const handlers: Handlers<'retention'> = {
    'retention.run': async (payload, ctx) => {
      await runRetentionJob(payload, deps, ctx);
    },
  };
  // One pass at a time per replica (the advisory lock covers replicas); passes can take minutes, the lock renews.
  return createWorker('retention', handlers, { ...opts, concurrency: 1, lockDuration: 120_000 });
}
