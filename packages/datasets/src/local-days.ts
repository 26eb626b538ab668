// Date-typed tables (snapshots, daily summaries) hold calendar days, read as local days of the export's
// time zone: a day belongs to [from, to) when its start (local midnight) does. This maps the instants to days.
import { DateTime } from 'luxon';

/** The first calendar day in `tz` whose start is at or after `instant`, as YYYY-MM-DD. */
export function firstDayStartingAtOrAfter(instant: Date, tz: string): string {
  const local = DateTime.fromJSDate(instant, { zone: tz });
  const start = local.startOf('day');
  return (start.toMillis() >= instant.getTime() ? start : local.plus({ days: 1 })).toISODate()!;
}

/**
 * The days whose start lies in [from, to), as a half-open day range [fromDay, toDay): comparing the date
 * column with two dates (rather than converting every row to an instant) keeps its index usable.
 */
export function daysWithin(from: Date, to: Date, tz: string): { fromDay: string; toDay: string } {
  return { fromDay: firstDayStartingAtOrAfter(from, tz), toDay: firstDayStartingAtOrAfter(to, tz) };
}
