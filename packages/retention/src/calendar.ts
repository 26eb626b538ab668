// When each month of data goes: the daily pass deletes rows dated before today (UTC) minus RETENTION_MONTHS
// calendar months, so a month starts going the day after its first day turns that old and is gone once its end does.
import { retentionCutoff } from './cutoff';

export type MonthDeletion = {
  /** `YYYY-MM` (UTC). */
  month: string;
  /** First day of the month still kept today: the month's first day, or the cutoff inside the boundary month. */
  from: string;
  /** First day of the next month (exclusive end). */
  to: string;
  /** The first daily pass that deletes any of the month (may be past for the boundary month). */
  deletion_starts_on: string;
  /** The daily pass after which none of the month is left: the day the cutoff passes its end. */
  fully_deleted_on: string;
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const firstOf = (y: number, m0: number) => new Date(Date.UTC(y, m0, 1));
const plusDays = (iso: string, n: number) => day(new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000));

export function monthDeletion(month: string, cutoff: string, retentionMonths: number): MonthDeletion {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = day(firstOf(y, m - 1));
  // First days of months never clamp, so adding whole months to them is exact.
  return {
    month,
    from: start < cutoff ? cutoff : start,
    to: day(firstOf(y, m)),
    deletion_starts_on: plusDays(day(firstOf(y, m - 1 + retentionMonths)), 1),
    fully_deleted_on: day(firstOf(y, m + retentionMonths)),
  };
}

export type RetentionCalendar = {
  cutoff: string;
  /** The oldest month still (partly) kept: the next one to disappear completely. */
  nextDeletion: MonthDeletion;
  /** Months any of whose data a pass within `horizonDays` will delete, oldest first. */
  dueWithin: MonthDeletion[];
  /** Every month still (partly) kept, oldest first, up to today's month: the page's timeline. */
  kept: MonthDeletion[];
};

export function retentionCalendar(today: string, horizonDays: number, retentionMonths: number): RetentionCalendar {
  const cutoff = retentionCutoff(today, retentionMonths);
  const horizon = plusDays(today, horizonDays);
  const [y, m] = cutoff.split('-').map(Number) as [number, number];
  const months: MonthDeletion[] = [];
  for (let i = 0; ; i++) {
    const d = firstOf(y, m - 1 + i);
    const next = monthDeletion(day(d).slice(0, 7), cutoff, retentionMonths);
    if (next.deletion_starts_on > horizon) break;
    months.push(next);
  }
  const kept: MonthDeletion[] = [];
  for (let i = 0; ; i++) {
    const month = day(firstOf(y, m - 1 + i)).slice(0, 7);
    if (month > today.slice(0, 7)) break;
    kept.push(monthDeletion(month, cutoff, retentionMonths));
  }
  return { cutoff, nextDeletion: monthDeletion(cutoff.slice(0, 7), cutoff, retentionMonths), dueWithin: months, kept };
}
