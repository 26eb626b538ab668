// How many periods a JSON export of [from, to) has in its zone: the bound on zero-filled output (CONTRACT §6.6).
import { DateTime } from 'luxon';
import type { Granularity } from './types';

/** More periods than this → 422 range_too_large. */
export const MAX_JSON_PERIODS = 10_000;

const unit = { day: 'days', week: 'weeks', month: 'months' } as const;

/** Calendar-aligned periods (day; ISO week from Monday; month) in `tz` that overlap [from, to). */
export function countPeriods(from: Date, to: Date, granularity: Granularity, tz: string): number {
  if (to <= from) return 0;
  const start = DateTime.fromJSDate(from, { zone: tz }).startOf(granularity === 'week' ? 'week' : granularity);
  const end = DateTime.fromJSDate(to, { zone: tz });
  return Math.ceil(end.diff(start, unit[granularity]).as(unit[granularity]) - 1e-9);
}
