// Whose "today" a pass uses: PostgreSQL's. A worker whose own clock disagrees by more than a few minutes is
// misconfigured (a host clock a year fast would delete a year of data), so its pass is refused, not trusted.
import type { Sql } from '@ax/db';

/** The largest difference between the worker's clock and PostgreSQL's a pass accepts (CONTRACT §6.6). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export async function databaseNow(sql: Sql): Promise<Date> {
  const [row] = await sql<{ now: Date }[]>`select now() as now`;
  return row!.now;
}

/** Null when the clocks agree; else why the pass is refused. */
export function clockProblem(worker: Date, database: Date, maxSkewMs = MAX_CLOCK_SKEW_MS): string | null {
  const skew = worker.getTime() - database.getTime();
  if (Math.abs(skew) <= maxSkewMs) return null;
  return (
    `refused: the worker's clock (${worker.toISOString()}) and PostgreSQL's (${database.toISOString()}) differ by ` +
    `${Math.round(Math.abs(skew) / 1000)} s, more than ${maxSkewMs / 1000} s; nothing was deleted. Fix the host clock.`
  );
}
