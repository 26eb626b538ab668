// One retention pass as of a given day: future partitions first, then whole months past the cutoff detached
// and dropped, then the boundary month and the plain tables trimmed in batches. Recorded in app.retention_passes.
import type postgres from 'postgres';
import type { Sql } from '@ax/db';
import type { Logger, Metrics } from '@ax/runtime';
import {
  PassAborted,
  releasePassLock,
  resetSession,
  setLockTimeout,
  tryPassLock,
  withLockRetry,
  type RetryPolicy,
} from './locking';
import { addMonths, isCalendarDay, monthOf, monthStart, partitionName, utcDay } from './months';
import {
  canDetachConcurrently,
  countRows,
  createMonthPartition,
  detachPartition,
  dropDetached,
  isPartitioned,
  listDetachedLeftovers,
  listPartitions,
  missingMonths,
  type Partition,
} from './partitions';
import { databaseNow, clockProblem } from './clock';
import { cutoffInstant, retentionCutoff } from './cutoff';
import {
  failInterrupted,
  finishPass,
  forgetDetached,
  recordRefused,
  recordSkipped,
  rememberDetached,
  startPass,
  type PassDetails,
  type TableOutcome,
} from './passes';
import { RETENTION_TABLES, type RetentionTable } from './tables';
import { passDefaults } from './pass-options';
import { countBefore, deleteBefore, type Cutoff } from './trim';

export type PassOptions = {
  /** The day the pass runs as of (UTC): a `YYYY-MM-DD` or an instant. Default: today by PostgreSQL's clock. */
  now?: Date | string;
  /** The worker's own clock, checked against PostgreSQL's before anything is deleted (tests inject a wrong one). */
  clock?: () => Date;
  maxClockSkewMs?: number;
  dryRun?: boolean;
  /** RETENTION_MONTHS: rows dated before today minus this many calendar months go. Always given by the caller. */
  retentionMonths: number;
  /** Month partitions kept ready beyond the current month. */
  futureMonths?: number;
  batchSize?: number;
  lockTimeoutMs?: number;
  /** Attempts per statement that hits lock_timeout before the table is left for the next pass. */
  lockAttempts?: number;
  retryDelayMs?: number;
  tables?: readonly RetentionTable[];
  signal?: AbortSignal;
  logger?: Logger;
  metrics?: Metrics;
};

export type PassResult = {
  id: string;
  outcome: 'succeeded' | 'failed' | 'skipped' | 'refused';
  dryRun: boolean;
  now: string;
  cutoff: string;
  durationMs: number;
  tables: TableOutcome[];
  error: string | null;
};

type Ctx = Required<Pick<PassOptions, 'batchSize' | 'futureMonths'>> & {
  today: string;
  /** The real pass's record, so the partitions it detaches are recorded as its own. */
  passId?: string;
  cutoff: Cutoff;
  retry: RetryPolicy;
  logger?: Logger;
  metrics?: Metrics;
};

export async function runRetentionPass(sql: Sql, options: PassOptions): Promise<PassResult> {
  // Options given as undefined fall back to the defaults too.
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as PassOptions;
  const o = { ...passDefaults, ...given };
  const dbNow = await databaseNow(sql);
  const today = o.now === undefined ? utcDay(dbNow) : typeof o.now === 'string' ? o.now : utcDay(o.now);
  if (!isCalendarDay(today)) throw new Error(`now must be a date YYYY-MM-DD, got ${JSON.stringify(o.now)}`);
  const day = retentionCutoff(today, o.retentionMonths);
  const ctx: Ctx = {
    today,
    cutoff: { day, instant: cutoffInstant(day) },
    batchSize: o.batchSize,
    futureMonths: o.futureMonths,
    retry: { attempts: o.lockAttempts, delayMs: o.retryDelayMs, signal: o.signal },
    logger: o.logger,
    metrics: o.dryRun ? undefined : o.metrics,
  };
  const tables = o.tables ?? RETENTION_TABLES;
  const started = Date.now();
  const base = { now: today, retention_months: o.retentionMonths };
  const result = (
    id: string,
    outcome: PassResult['outcome'],
    outcomes: TableOutcome[],
    error: string | null,
  ): PassResult => ({
    id,
    outcome,
    dryRun: Boolean(o.dryRun),
    now: today,
    cutoff: day,
    durationMs: Date.now() - started,
    tables: outcomes,
    error,
  });

  const skew = clockProblem((o.clock ?? (() => new Date()))(), dbNow, o.maxClockSkewMs);
  if (skew) {
    o.logger?.error({ cutoff: day }, skew);
    return result(await recordRefused(sql, day, Boolean(o.dryRun), base, skew), 'refused', [], skew);
  }

  if (o.dryRun) {
    // Reads only: no lock needed, and a real pass running meanwhile makes the figures merely approximate.
    const id = await startPass(sql, day, true, base);
    const outcomes = await eachTable(tables, o.signal, (t) => planTable(sql, t, ctx));
    return finish(sql, id, outcomes, base, started, result);
  }

  const conn = await sql.reserve();
  try {
    if (!(await tryPassLock(conn))) {
      o.logger?.info({ cutoff: day }, 'another retention pass holds the lock; skipping');
      return result(await recordSkipped(sql, day, base), 'skipped', [], 'another retention pass holds the lock');
    }
    try {
      const interrupted = await failInterrupted(sql);
      if (interrupted) o.logger?.warn({ interrupted }, 'marked passes that never finished as failed');
      const id = await startPass(sql, day, false, base);
      await setLockTimeout(conn, o.lockTimeoutMs);
      const outcomes = await eachTable(tables, o.signal, (t) => applyTable(conn, t, { ...ctx, passId: id }));
      return await finish(sql, id, outcomes, base, started, result);
    } finally {
      await resetSession(conn).catch(() => {});
      await releasePassLock(conn).catch(() => {});
    }
  } finally {
    conn.release();
  }
}

async function finish(
  sql: Sql,
  id: string,
  outcomes: TableOutcome[],
  base: { now: string; retention_months: number },
  started: number,
  result: (id: string, outcome: PassResult['outcome'], outcomes: TableOutcome[], error: string | null) => PassResult,
): Promise<PassResult> {
  const failed = outcomes.filter((t) => t.error);
  const error = failed.length ? failed.map((t) => `${t.table}: ${t.error}`).join('; ') : null;
  const details: PassDetails = { ...base, duration_ms: Date.now() - started, tables: outcomes };
  await finishPass(sql, id, error ? 'failed' : 'succeeded', details, error);
  return { ...result(id, error ? 'failed' : 'succeeded', outcomes, error), durationMs: details.duration_ms };
}

/** Tables one after another; a failing table is recorded and the others still get their pass. */
async function eachTable(
  tables: readonly RetentionTable[],
  signal: AbortSignal | undefined,
  fn: (t: RetentionTable) => Promise<TableOutcome>,
): Promise<TableOutcome[]> {
  const out: TableOutcome[] = [];
  for (const t of tables) {
    if (signal?.aborted) {
      out.push({ ...emptyOutcome(t.table, false), error: new PassAborted().message });
      continue;
    }
    const started = Date.now();
    try {
      out.push({ ...(await fn(t)), duration_ms: Date.now() - started });
    } catch (err) {
      const done = (err as { outcome?: Partial<TableOutcome> }).outcome;
      out.push({
        ...emptyOutcome(t.table, false),
        ...done,
        error: (err as Error).message,
        duration_ms: Date.now() - started,
      });
    }
  }
  return out;
}

const emptyOutcome = (table: string, partitioned: boolean): TableOutcome => ({
  table,
  partitioned,
  partitions_dropped: [],
  rows_in_dropped_partitions: 0,
  rows_trimmed: 0,
  partitions_created: [],
  error: null,
  duration_ms: 0,
});

const endsBy = (p: Partition, cutoff: Cutoff) =>
  !p.isDefault && p.upper !== null && p.upper.getTime() <= cutoff.instant.getTime();
const straddles = (p: Partition, cutoff: Cutoff) =>
  p.isDefault ||
  ((p.lower === null || p.lower.getTime() < cutoff.instant.getTime()) &&
    (p.upper === null || p.upper.getTime() > cutoff.instant.getTime()));
const leftoverDue = (month: string, cutoff: Cutoff) =>
  monthStart(addMonths(month, 1)).getTime() <= cutoff.instant.getTime();

async function applyTable(conn: postgres.ReservedSql, t: RetentionTable, ctx: Ctx): Promise<TableOutcome> {
  const { cutoff, retry, logger, metrics } = ctx;
  const out = emptyOutcome(t.table, await isPartitioned(conn, t.table));
  const trimmed = (n: number) => {
    out.rows_trimmed += n;
    metrics?.retentionDeleted.inc({ table: t.table }, n);
  };
  try {
    if (!out.partitioned) {
      await deleteBefore(conn, t.table, t, cutoff, { batchSize: ctx.batchSize, retry, onBatch: trimmed });
      return out;
    }
    // 1. Future partitions first: an insert must never fail for want of one, whatever happens below.
    for (const month of missingMonths(await listPartitions(conn, t.table), monthOf(ctx.today), ctx.futureMonths)) {
      const name = await withLockRetry(`attach ${partitionName(t.table, month)}`, retry, () =>
        createMonthPartition(conn, t.table, month),
      );
      out.partitions_created.push(name);
      logger?.info({ table: t.table, partition: name }, 'created partition');
    }
    // 2. Months a pass detached (and recorded) but never dropped: an interrupted pass. Tables detached by anyone
    //    else are not ours to drop, whatever their name.
    for (const left of await listDetachedLeftovers(conn, t.table)) {
      if (leftoverDue(left.month, cutoff)) await dropWhole(conn, t.table, left.name, out, ctx);
    }
    // 3. Whole months before the cutoff: detach without blocking the parent, then drop the loose table.
    const partitions = await listPartitions(conn, t.table);
    const concurrently = canDetachConcurrently(partitions);
    for (const p of partitions.filter((x) => endsBy(x, cutoff))) {
      // Recorded before the DETACH, so a pass that dies between DETACH and DROP leaves a leftover the next one may drop.
      await rememberDetached(conn, p.name, t.table, ctx.passId);
      await withLockRetry(`detach ${p.name}`, retry, async () => {
        // Re-read: a timed-out DETACH CONCURRENTLY leaves the partition pending, and only FINALIZE goes on from there.
        const current = (await listPartitions(conn, t.table)).find((x) => x.name === p.name);
        if (current) await detachPartition(conn, t.table, current, concurrently);
      });
      await dropWhole(conn, t.table, p.name, out, ctx);
    }
    // 4. The boundary month (and a DEFAULT partition, if any): batched deletes.
    for (const p of partitions.filter((x) => straddles(x, cutoff))) {
      await deleteBefore(conn, p.name, t, cutoff, { batchSize: ctx.batchSize, retry, onBatch: trimmed });
    }
    return out;
  } catch (err) {
    // Keep what was done before the failure in the record.
    throw Object.assign(err as Error, { outcome: out });
  }
}

async function dropWhole(
  conn: postgres.ReservedSql,
  parent: string,
  name: string,
  out: TableOutcome,
  ctx: Ctx,
): Promise<void> {
  const rows = await countRows(conn, name);
  await withLockRetry(`drop ${name}`, ctx.retry, () => dropDetached(conn, name));
  await forgetDetached(conn, name);
  out.partitions_dropped.push(name);
  out.rows_in_dropped_partitions += rows;
  ctx.metrics?.retentionPartitionsDropped.inc({ table: parent });
  ctx.metrics?.retentionDeleted.inc({ table: parent }, rows);
  ctx.logger?.info({ table: parent, partition: name, rows }, 'dropped partition');
}

/** The dry run: the same decisions as applyTable, with counts instead of changes. */
async function planTable(sql: Sql, t: RetentionTable, ctx: Ctx): Promise<TableOutcome> {
  const { cutoff } = ctx;
  const out = emptyOutcome(t.table, await isPartitioned(sql, t.table));
  if (!out.partitioned) {
    out.rows_trimmed = await countBefore(sql, t.table, t, cutoff);
    return out;
  }
  const partitions = await listPartitions(sql, t.table);
  out.partitions_created = missingMonths(partitions, monthOf(ctx.today), ctx.futureMonths).map((m) =>
    partitionName(t.table, m),
  );
  const whole = [
    ...(await listDetachedLeftovers(sql, t.table)).filter((l) => leftoverDue(l.month, cutoff)).map((l) => l.name),
    ...partitions.filter((p) => endsBy(p, cutoff)).map((p) => p.name),
  ];
  for (const name of whole) {
    out.partitions_dropped.push(name);
    out.rows_in_dropped_partitions += await countRows(sql, name);
  }
  for (const p of partitions.filter((x) => straddles(x, cutoff)))
    out.rows_trimmed += await countBefore(sql, p.name, t, cutoff);
  return out;
}
