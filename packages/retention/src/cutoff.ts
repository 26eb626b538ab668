// The retention cutoff: the first day kept is today (UTC) minus the configured months (RETENTION_MONTHS, given
// by the caller: the one default lives in @ax/config), clamped at month ends.
import { DateTime } from 'luxon';

/** The first day kept: `today` (UTC) minus `months` calendar months, clamped at month ends. */
export function retentionCutoff(today: Date | string, months: number): string {
  const base =
    typeof today === 'string' ? DateTime.fromISO(today, { zone: 'utc' }) : DateTime.fromJSDate(today, { zone: 'utc' });
  return base.startOf('day').minus({ months }).toISODate()!;
}

/** The cutoff as an instant: midnight UTC of the cutoff day. */
export const cutoffInstant = (cutoff: string): Date => DateTime.fromISO(cutoff, { zone: 'utc' }).toJSDate();

/** The first instant still kept as of `today`: what a range or period must not start before. */
export const oldestKept = (today: Date | string, months: number): Date => cutoffInstant(retentionCutoff(today, months));
