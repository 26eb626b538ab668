// GET /v1/retention: the cutoff, the next month to disappear, and which of the caller's months that a pass
// within 60 days will delete were never exported — so a publisher can archive before the data is gone.
//
// Response (dates are UTC days `YYYY-MM-DD`, months `YYYY-MM`):
// {
//   "retention_months": 24,
//   "today": "2026-11-27",
//   "cutoff": "2024-11-27",                 // oldest day kept; rows dated before it are deleted
//   "daily_pass": { "time": "03:00", "timezone": "UTC" },
//   "next_deletion": Month,                 // the oldest month still (partly) kept
//   "horizon_days": 60,
//   "unexported_months": [Month, …]         // due within the horizon, holding caller data, never exported
//   "months": [Month, …]                    // every month still (partly) kept, oldest first (the page's timeline)
// }
// Month = { month, from, to, deletion_starts_on, fully_deleted_on }: `from`..`to` (exclusive) is what is still
// kept of it, `deletion_starts_on` the first pass deleting any of it, `fully_deleted_on` the pass after which
// none is left. A month counts as exported when a succeeded export (one-off or from a schedule run) of any
// dataset, without a package filter, spans at least `from`..`to`: for a publisher its own exports, for an
// admin exports not restricted to one publisher. Months where the caller has no data are not listed.
import { Router } from 'express';
import type { Principal, Sql } from '@ax/db';
import { principalOf } from '../auth';
import { retentionCalendar, type MonthDeletion } from '../retention-calendar';

const HORIZON_DAYS = 60;

export function retentionRoutes(deps: { sql: Sql; now?: () => Date; retentionMonths?: number }): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const RETENTION_MONTHS = deps.retentionMonths ?? 24;

  router.get('/', async (_req, res) => {
    const principal = principalOf(res);
    const today = now().toISOString().slice(0, 10);
    const calendar = retentionCalendar(today, HORIZON_DAYS, RETENTION_MONTHS);
    const unexported: MonthDeletion[] = [];
    for (const month of calendar.dueWithin) {
      if ((await holdsData(deps.sql, principal, month)) && !(await exported(deps.sql, principal, month))) unexported.push(month);
    }
    res.json({
      retention_months: RETENTION_MONTHS,
      today,
      cutoff: calendar.cutoff,
      daily_pass: { time: '03:00', timezone: 'UTC' },
      next_deletion: calendar.nextDeletion,
      horizon_days: HORIZON_DAYS,
      unexported_months: unexported,
      months: calendar.kept,
    });
  });
  return router;
}

const instant = (d: string) => new Date(`${d}T00:00:00Z`);

/** Whether the caller has any row in the month's kept range, in the tables its datasets read. */
async function holdsData(sql: Sql, p: Principal, m: MonthDeletion): Promise<boolean> {
  const from = instant(m.from);
  const to = instant(m.to);
  const between = (column: string, type: 'timestamptz' | 'date') =>
    type === 'date'
      ? sql`${sql(column)} >= ${m.from}::date and ${sql(column)} < ${m.to}::date`
      : sql`${sql(column)} >= ${from}::timestamptz and ${sql(column)} < ${to}::timestamptz`;
  if (p.role === 'publisher') {
    const own = sql`select package_id from analytics.packages where publisher_id = ${p.publisherId}`;
    const [row] = await sql<{ any: boolean }[]>`
      select exists (select 1 from analytics.install_events where package_id in (${own}) and ${between('install_date', 'timestamptz')})
          or exists (select 1 from analytics.reviews where package_id in (${own}) and ${between('review_date', 'timestamptz')})
          or exists (select 1 from analytics.version_adoption_snapshots where package_id in (${own}) and ${between('snapshot_date', 'date')})
          or exists (select 1 from analytics.reputation_events where publisher_id = ${p.publisherId} and ${between('event_date', 'timestamptz')})
          as any`;
    return Boolean(row?.any);
  }
  const [row] = await sql<{ any: boolean }[]>`
    select exists (select 1 from analytics.install_events where ${between('install_date', 'timestamptz')})
        or exists (select 1 from analytics.reviews where ${between('review_date', 'timestamptz')})
        or exists (select 1 from analytics.version_adoption_snapshots where ${between('snapshot_date', 'date')})
        or exists (select 1 from analytics.reputation_events where ${between('event_date', 'timestamptz')})
        or exists (select 1 from analytics.marketplace_daily_summary where ${between('summary_date', 'date')})
        or exists (select 1 from analytics.publisher_leaderboard_snapshots where ${between('snapshot_date', 'date')})
        as any`;
  return Boolean(row?.any);
}

/** Whether a succeeded, unfiltered export of the caller's data spans the month's kept range (its file may have expired since). */
async function exported(sql: Sql, p: Principal, m: MonthDeletion): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (
      select 1 from app.exports
      where status in ('succeeded', 'expired')
        and range_from <= ${instant(m.from)} and range_to >= ${instant(m.to)}
        and not (filters ? 'package_ids')
        and ${p.role === 'publisher' ? sql`owner_publisher_id = ${p.publisherId}` : sql`scope_publisher_id is null`}
    ) as any`;
  return Boolean(row?.any);
}
