// Keeps the daily retention pass (and the hourly export-file expiry) alive whatever happens to Redis: every replica re-declares the job scheduler
// periodically (a Redis that lost its data loses every scheduler), and a day missed anyway is caught up at once.
// PostgreSQL is the record: the last real pass in app.retention_passes says whether a day was missed.
import { maintenanceRunAge, type Sql } from '@ax/db';
import { enqueue, type Queues } from '@ax/jobs';
import { lastRealPassAge } from '@ax/retention';
import type { Logger } from '@ax/runtime';
import { declareExpirySchedule, EXPIRY_JOB, MISSED_SWEEP_AFTER_MS } from './file-expiry';
import { declareRetentionSchedule } from './schedule';

/** A day and a bit: the last pass older than this means the 03:00 run did not happen. */
export const MISSED_PASS_AFTER_MS = 26 * 3600_000;

/**
 * One round: re-declare the scheduler, then queue a pass now when the last one is older than MISSED_PASS_AFTER_MS.
 * The catch-up job's id is per UTC hour, so replicas running this at once queue one pass, not one each.
 */
export async function keepRetentionScheduled(deps: KeeperDeps): Promise<'queued' | 'ok'> {
  const hour = new Date().toISOString().slice(0, 13).replace(/[-T]/g, '');
  let result: 'queued' | 'ok' = 'ok';
  if (deps.expiry) {
    // The same for the hourly file-expiry sweep: re-declared, and run now when the last one is over 2 hours old.
    await declareExpirySchedule(deps.queues);
    const sweptAge = await maintenanceRunAge(deps.sql, EXPIRY_JOB);
    if (sweptAge === null || sweptAge >= MISSED_SWEEP_AFTER_MS) {
      await enqueue(deps.queues, 'files.expire', {}, { jobId: `files-expire-catch-up-${hour}` });
      result = 'queued';
    }
  }
  if (deps.retention === false) return result;
  await declareRetentionSchedule(deps.queues);
  const age = await lastRealPassAge(deps.sql);
  if (age !== null && age < MISSED_PASS_AFTER_MS) return result;
  await enqueue(deps.queues, 'retention.run', {}, { jobId: `retention-catch-up-${hour}` });
  deps.logger.warn({ lastPassAgeMs: age }, 'no retention pass in over 26 hours: one is queued now');
  return 'queued';
}

type KeeperDeps = { sql: Sql; queues: Queues; logger: Logger; retention?: boolean; expiry?: boolean };

/** Runs keepRetentionScheduled now and every `intervalMs`; stop() waits for a round in progress. */
export function startRetentionKeeper(deps: Parameters<typeof keepRetentionScheduled>[0], intervalMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const round = () => {
    running = keepRetentionScheduled(deps).catch((err) =>
      deps.logger.warn({ err: (err as Error).message }, 'retention keeper round failed'),
    );
    return running;
  };
  const next = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void round().then(next), intervalMs);
  };
  void round().then(next);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
