// The 'retention.run' job handler: resolves the day, refuses a future one, runs the pass, and fails the job
// (so BullMQ retries it with backoff, and the failure shows) when a table could not be completed.
import type { Sql } from '@ax/db';
import { PermanentError, type JobContext, type PayloadOf } from '@ax/jobs';
import type { Metrics } from '@ax/runtime';
import type { Storage } from '@ax/storage';
import { databaseNow } from './clock';
import { isCalendarDay, utcDay } from './months';
import { runRetentionPass, type PassOptions, type PassResult } from './run-pass';

export type RetentionDeps = {
  sql: Sql;
  metrics?: Metrics;
  /** Pass tuning from the environment (retention months, batch size, lock timeout…). */
  pass?: Omit<PassOptions, 'now' | 'dryRun' | 'signal' | 'logger' | 'metrics'>;
  /** Export-file expiry (files.expire jobs): the file store and EXPORT_FILE_TTL_DAYS. */
  expiry?: { storage: Storage; ttlDays: number };
  /** The worker's wall clock, checked against PostgreSQL's; tests inject a wrong one. */
  clock?: () => Date;
};

/**
 * Which day a pass may run as of: a given `YYYY-MM-DD` not later than today (UTC), or today.
 * A later day would delete data that is still inside the retention window; only a dry run may look ahead.
 */
export function passDay(requested: string | undefined, today: Date, dryRun: boolean): string {
  const now = utcDay(today);
  if (requested === undefined) return now;
  if (!isCalendarDay(requested)) throw new RangeError(`the day must be a date YYYY-MM-DD, got ${JSON.stringify(requested)}`);
  if (requested > now && !dryRun)
    throw new RangeError(`${requested} is after today (${now}, UTC): that would delete data still inside retention; only a dry run may look ahead`);
  return requested;
}

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
    ...deps.pass, now, dryRun, clock: deps.clock, signal: ctx.signal, logger: ctx.logger, metrics: deps.metrics,
  });
  ctx.logger.info(
    { passId: result.id, outcome: result.outcome, cutoff: result.cutoff, durationMs: result.durationMs, dryRun },
    'retention pass finished',
  );
  // Failed or refused: the job fails visibly and BullMQ retries it with backoff (a fixed clock then passes).
  if (result.outcome === 'failed' || result.outcome === 'refused') throw new Error(`retention pass ${result.id} ${result.outcome}: ${result.error}`);
  return result;
}
