// What every replica does at start: declare (or, when disabled, remove) the daily scheduler and start
// taking retention jobs. Shared by main.ts and the tests that boot several replicas.
import type { Redis } from 'ioredis';
import { createQueues, type Queues } from '@ax/jobs';
import type { Logger, Metrics } from '@ax/runtime';
import type { RetentionDeps } from './job';
import { declareExpirySchedule } from './file-expiry';
import { startRetentionKeeper } from './keeper';
import { createRetentionWorker } from './processor';
import { declareRetentionSchedule, removeRetentionSchedule } from './schedule';

export type RetentionReplica = {
  queues: Queues;
  worker: ReturnType<typeof createRetentionWorker> | null;
  close(): Promise<void>;
};

export async function bootRetentionWorker(
  deps: RetentionDeps,
  opts: {
    connection: Redis;
    prefix: string;
    logger: Logger;
    metrics?: Metrics;
    enabled: boolean;
    /** RETENTION_RECONCILE_INTERVAL_MS: re-declare the scheduler and catch up a missed day this often (unset = only at boot). */
    reconcileIntervalMs?: number;
  },
): Promise<RetentionReplica> {
  const queues = createQueues(opts.connection, opts.prefix, (err) => opts.logger.error({ err }, 'queue error'));
  if (!opts.enabled) await removeRetentionSchedule(queues);
  // Export files expire whether or not retention is enabled (§6.5): replicas that reach the file store run that too.
  if (!opts.enabled && !deps.expiry) return { queues, worker: null, close: () => queues.close() };
  if (opts.enabled) await declareRetentionSchedule(queues);
  if (deps.expiry) await declareExpirySchedule(queues);
  const worker = createRetentionWorker(deps, opts);
  const keeper =
    opts.reconcileIntervalMs === undefined
      ? null
      : startRetentionKeeper(
          { sql: deps.sql, queues, logger: opts.logger, retention: opts.enabled, expiry: Boolean(deps.expiry) },
          opts.reconcileIntervalMs,
        );
  return {
    queues,
    worker,
    async close() {
      await keeper?.stop();
      await worker.close();
      await queues.close();
    },
  };
}
