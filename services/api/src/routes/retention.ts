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
// The calendar and the queries are @ax/retention's; this file only answers.
import { Router } from 'express';
import type { Sql } from '@ax/db';
import { DAILY_PASS, retentionCalendar, unexportedMonths } from '@ax/retention';
import { principalOf } from '../auth';

const HORIZON_DAYS = 60;

export function retentionRoutes(deps: { sql: Sql; now: () => Date; retentionMonths: number }): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const principal = principalOf(res);
    const today = deps.now().toISOString().slice(0, 10);
    const calendar = retentionCalendar(today, HORIZON_DAYS, deps.retentionMonths);
    res.json({
      retention_months: deps.retentionMonths,
      today,
      cutoff: calendar.cutoff,
      daily_pass: DAILY_PASS,
      next_deletion: calendar.nextDeletion,
      horizon_days: HORIZON_DAYS,
      unexported_months: await unexportedMonths(deps.sql, principal, calendar.dueWithin),
      months: calendar.kept,
    });
  });
  return router;
}
