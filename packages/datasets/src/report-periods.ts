// Report periods of scheduled reports (CONTRACT §4), pure: weekly = [previous Monday 00:00, this Monday 00:00)
// run Monday 06:00; monthly = the previous calendar month, run on the 1st 06:00; all in the schedule's zone.
import { DateTime } from 'luxon';

export const frequencies = ['weekly', 'monthly'] as const;
export type Frequency = (typeof frequencies)[number];

/** Local hour at which a period's report runs, on the day its period ends. */
export const REPORT_RUN_HOUR = 6;

export type ReportPeriod = {
  frequency: Frequency;
  timezone: string;
  /** First local day of the period, YYYY-MM-DD. */
  startDate: string;
  /** First local day after the period (exclusive), YYYY-MM-DD. */
  endDate: string;
  start: Date;
  end: Date;
  /** When the period's report is due: endDate at 06:00 local time. */
  runAt: Date;
};

/** The cron pattern (evaluated in the schedule's zone) that fires at every period's run time. */
export function cronPattern(frequency: Frequency): string {
  return frequency === 'weekly' ? `0 ${REPORT_RUN_HOUR} * * 1` : `0 ${REPORT_RUN_HOUR} 1 * *`;
}

const step = (frequency: Frequency) => (frequency === 'weekly' ? { weeks: 1 } : { months: 1 });

/** Local midnight of a calendar day; luxon moves a midnight skipped by DST forward to the first valid instant. */
const midnight = (date: string, tz: string) => DateTime.fromISO(date, { zone: tz }).startOf('day');

function periodEndingOn(frequency: Frequency, tz: string, endDate: string): ReportPeriod {
  const startDate = DateTime.fromISO(endDate, { zone: 'utc' }).minus(step(frequency)).toISODate()!;
  return periodOf(frequency, tz, startDate, endDate);
}

function periodOf(frequency: Frequency, tz: string, startDate: string, endDate: string): ReportPeriod {
  return {
    frequency,
    timezone: tz,
    startDate,
    endDate,
    start: midnight(startDate, tz).toJSDate(),
    end: midnight(endDate, tz).toJSDate(),
    runAt: DateTime.fromISO(`${endDate}T${String(REPORT_RUN_HOUR).padStart(2, '0')}:00`, { zone: tz }).toJSDate(),
  };
}

/** The period boundary (a Monday or a 1st, as a local date) at or before the instant. */
function boundaryAtOrBefore(frequency: Frequency, tz: string, at: Date): string {
  const local = DateTime.fromJSDate(at, { zone: tz });
  return local.startOf(frequency === 'weekly' ? 'week' : 'month').toISODate()!;
}

/**
 * The period a run at `at` covers: the latest period whose run time is at or before `at`. For a scheduler
 * firing exactly at a run time that is the period ending that morning; a late or off-pattern fire maps to
 * the latest completed period, never to a period that is not due yet.
 */
export function periodCoveredBy(frequency: Frequency, tz: string, at: Date): ReportPeriod {
  const boundary = boundaryAtOrBefore(frequency, tz, at);
  const candidate = periodEndingOn(frequency, tz, boundary);
  if (candidate.runAt.getTime() <= at.getTime()) return candidate;
  return previousPeriod(candidate);
}

export function previousPeriod(p: ReportPeriod): ReportPeriod {
  return periodEndingOn(p.frequency, p.timezone, p.startDate);
}

export function nextPeriod(p: ReportPeriod): ReportPeriod {
  const endDate = DateTime.fromISO(p.endDate, { zone: 'utc' }).plus(step(p.frequency)).toISODate()!;
  return periodOf(p.frequency, p.timezone, p.endDate, endDate);
}

/** The first run time strictly after `after`. */
export function nextRunAt(frequency: Frequency, tz: string, after: Date): Date {
  return nextPeriod(periodCoveredBy(frequency, tz, after)).runAt;
}

/** The last `count` periods whose run time has passed at `at`, oldest first. */
export function duePeriods(frequency: Frequency, tz: string, at: Date, count: number): ReportPeriod[] {
  const out: ReportPeriod[] = [];
  let p = periodCoveredBy(frequency, tz, at);
  for (let i = 0; i < count; i++) {
    out.unshift(p);
    p = previousPeriod(p);
  }
  return out;
}

/** The period starting on `startDate`, or null when that day is not a period boundary (a Monday / a 1st). */
export function periodStartingOn(frequency: Frequency, tz: string, startDate: string): ReportPeriod | null {
  const day = DateTime.fromISO(startDate, { zone: 'utc' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || !day.isValid || day.toISODate() !== startDate) return null;
  if (frequency === 'weekly' ? day.weekday !== 1 : day.day !== 1) return null;
  const endDate = day.plus(step(frequency)).toISODate();
  return periodOf(frequency, tz, startDate, endDate);
}

/** A period is complete once its end has passed (its report may then be run, e.g. as a backfill). */
export const isComplete = (p: ReportPeriod, now: Date): boolean => p.end.getTime() <= now.getTime();
