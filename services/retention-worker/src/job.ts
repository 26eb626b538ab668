// The 'retention.run' job handler: resolves the day, refuses a future one, runs the pass, and fails the job
// (so BullMQ retries it with backoff, and the failure shows) when a table could not be completed.
import type { Sql } from '@ax/db';
import { PermanentError, type JobContext, type PayloadOf } from '@ax/jobs';
import { databaseNow, passDay, runRetentionPass, type PassOptions, type PassResult } from '@ax/retention';
import type { Metrics } from '@ax/runtime';
import type { Storage } from '@ax/storage';

export type RetentionDeps = {
  sql: Sql;
  metrics?: Metrics;
  /** The pass's settings from the environment: RETENTION_MONTHS (required) and the tuning (batch size, lock timeout…). */
  pass: Omit<PassOptions, 'now' | 'dryRun' | 'signal' | 'logger' | 'metrics' | 'clock'>;
  /** Export-file expiry (files.expire jobs): the file store and EXPORT_FILE_TTL_DAYS. */
  expiry?: { storage: Storage; ttlDays: number };
  /** The worker's wall clock, checked against PostgreSQL's; tests inject a wrong one. */
  clock?: () => Date;
};

export async function runRetentionJob(
  payload: PayloadOf<'retention.run'>,
  deps: RetentionDeps,
  ctx: JobContext,
): Promise<PassResult> {
  const dryRun = payload.dryRun ?? false;
  // Today is PostgreSQL's; the worker's own clock is only checked against it (by the pass, which refuses on a skew).
  const today = await databaseNow(deps.sql);
  let now: string;
  try {
    now = passDay(payload.now, today, dryRun);
  } catch (err) {
    throw new PermanentError('invalid_day', (err as Error).message);
  }
  const result = await runRetentionPass(deps.sql, {
    ...deps.pass,
    now,
    dryRun,
    clock: deps.clock,
    signal: ctx.signal,
    logger: ctx.logger,
    metrics: deps.metrics,
  });
  ctx.logger.info(
    { passId: result.id, outcome: result.outcome, cutoff: result.cutoff, durationMs: result.durationMs, dryRun },
    'retention pass finished',
  );
  // Failed or refused: the job fails visibly and BullMQ retries it with backoff (a fixed clock then passes).
  if (result.outcome === 'failed' || result.outcome === 'refused')
    throw new Error(`retention pass ${result.id} ${result.outcome}: ${result.error}`);
  return result;
}
