// Which day a pass may run as of, for the worker's job and the CLI's `retention run --now` alike.
import { isCalendarDay, utcDay } from './months';

/**
 * A given `YYYY-MM-DD` not later than today (UTC), or today. A later day would delete data that is still
 * inside the retention window; only a dry run may look ahead.
 */
export function passDay(requested: string | undefined, today: Date, dryRun: boolean): string {
  const now = utcDay(today);
  if (requested === undefined) return now;
  if (!isCalendarDay(requested))
    throw new RangeError(`the day must be a date YYYY-MM-DD, got ${JSON.stringify(requested)}`);
  if (requested > now && !dryRun)
    throw new RangeError(
      `${requested} is after today (${now}, UTC): that would delete data still inside retention; only a dry run may look ahead`,
    );
  return requested;
}
