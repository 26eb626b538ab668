// Makes Redis match PostgreSQL: one job scheduler per live, unpaused schedule (created, updated, orphans
// removed), missed periods caught up (each once, thanks to the unique run row), and stuck runs driven on.
// Many replicas may call it at once: a transaction-scoped advisory lock lets one do the work per round.
import { getScheduleAnyState, listLiveSchedules, openRuns, runPeriodStarts, type ActiveSchedule } from '@ax/db';
import { cronPattern, duePeriods } from '@ax/datasets';
import { listReportSchedulers, removeReportScheduler, upsertReportScheduler } from '@ax/jobs';
import { oldestKept } from '@ax/retention';
import { driveRun, nowOf, startRun, type ReportDeps } from './deps';
import { sendOwedFailureNotices } from './failure-notice';

export type ReconcileOptions = {
  /** Past periods per schedule to catch up (default 8; 0 = none). */
  catchUpPeriods?: number;
  /** Runs whose export or delivery shows no progress for this long are driven again (default 60 s). */
  staleRunMs?: number;
  /** Tests and benches: a faster cron pattern than the real weekly/monthly one. */
  patternFor?: (s: ActiveSchedule) => string;
};

export type ReconcileResult = { created: number; updated: number; removed: number; caughtUp: number; driven: number };

const LOCK = 'analytics-export.reports.reconcile';

export async function reconcileReports(deps: ReportDeps, opts: ReconcileOptions = {}): Promise<ReconcileResult | null> {
  return deps.sql.begin(async (tx) => {
    const [row] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${LOCK})) as locked`;
    if (!row?.locked) return null; // another replica is reconciling right now
    const result = { created: 0, updated: 0, removed: 0, caughtUp: 0, driven: 0 };
    const live = await listLiveSchedules(deps.sql);
    await syncSchedulers(deps, live, opts, result);
    await catchUp(
      deps,
      live.filter((s) => !s.paused),
      opts.catchUpPeriods ?? 8,
      result,
    );
    for (const run of await openRuns(deps.sql, opts.staleRunMs ?? 60_000, 1000)) {
      await driveRun(deps, { id: run.id, status: 'running', export_id: run.export_id }, run.export_status);
      result.driven++;
    }
    await sendOwedFailureNotices(deps, deps.logger);
    if (result.created + result.updated + result.removed + result.caughtUp + result.driven > 0)
      deps.logger.info(result, 'report schedules reconciled');
    return result;
  });
}

async function syncSchedulers(
  deps: ReportDeps,
  live: ActiveSchedule[],
  opts: ReconcileOptions,
  result: ReconcileResult,
) {
  const present = await listReportSchedulers(deps.queues);
  const wanted = new Set<string>();
  const changes: (() => Promise<void>)[] = [];
  for (const s of live) {
    if (s.paused) continue;
    wanted.add(s.id);
    const pattern = opts.patternFor?.(s) ?? cronPattern(s.frequency);
    const have = present.get(s.id);
    if (have && have.pattern === pattern && have.tz === s.timezone) continue;
    changes.push(() => upsertReportScheduler(deps.queues, { scheduleId: s.id, pattern, tz: s.timezone }));
    if (have) result.updated++;
    else result.created++;
  }
  for (const id of present.keys()) {
    if (wanted.has(id)) continue;
    changes.push(() => removeReportScheduler(deps.queues, id).then(() => undefined));
    result.removed++;
  }
  // After a flushed Redis there can be thousands: a few hundred at a time keeps Redis round trips overlapped.
  for (let i = 0; i < changes.length; i += 200) await Promise.all(changes.slice(i, i + 200).map((change) => change()));
}

/**
 * Periods whose run time passed while nothing ran them: at most `count` per schedule, never before active_from, and
 * never one the retention pass has deleted or is about to (deps.retentionMonths).
 */
async function catchUp(deps: ReportDeps, schedules: ActiveSchedule[], count: number, result: ReconcileResult) {
  if (count === 0 || schedules.length === 0) return;
  const now = nowOf(deps);
  const kept = oldestKept(now, deps.retentionMonths);
  const owed = schedules.map((s) => ({
    s,
    periods: duePeriods(s.frequency, s.timezone, now, count).filter((p) => p.runAt >= s.active_from && p.start >= kept),
  }));
  const since = new Date(owed.reduce((min, o) => Math.min(min, o.periods[0]?.start.getTime() ?? min), now.getTime()));
  const done = await runPeriodStarts(
    deps.sql,
    owed.filter((o) => o.periods.length).map((o) => o.s.id),
    since,
  );
  for (const { s, periods } of owed) {
    const missing = periods.filter((p) => !done.get(s.id)?.has(p.start.getTime()));
    if (missing.length === 0) continue;
    const schedule = await getScheduleAnyState(deps.sql, s.id);
    if (!schedule || schedule.deleted_at || schedule.paused) continue;
    for (const p of missing) {
      const { created } = await startRun(deps, schedule, p);
      if (created) result.caughtUp++;
    }
  }
}
