// What a report e-mail says about its file: the dataset's main metric against the previous period, a few more
// figures, a small chart of the period's days or weeks, and a top 5. Computed by the worker, rendered here.

export type ReportSummary = {
  /** The dataset's main metric over the whole period, e.g. { label: 'Installs', unit: 'installs', value: 1234 }. */
  metric: { label: string; unit: string; value: number; previous: number | null };
  /** Further figures of the period, already formatted, e.g. { label: 'Average rating', value: '4.21 of 5' }. */
  figures: { label: string; value: string }[];
  /** One bar per day (weekly reports) or week (monthly reports) of the main metric. */
  chart: { title: string; bars: { label: string; value: number }[] };
  /** The largest contributors (packages, countries, event types, publishers), at most 5. */
  top: { title: string; rows: { label: string; value: string }[] } | null;
};

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

export type Change = { direction: 'up' | 'down' | 'same' | 'new' | 'none'; text: string };

/** "▲ 12% (previous week: 1,100)"; no percentage against zero or an unknown previous period. */
export function describeChange(value: number, previous: number | null, periodWord: string): Change {
  if (previous === null) return { direction: 'none', text: `No figures for the previous ${periodWord}` };
  const before = `previous ${periodWord}: ${formatCount(previous)}`;
  if (previous === 0)
    return value === 0
      ? { direction: 'same', text: `Same as the ${before}` }
      : { direction: 'new', text: `Up from none (${before})` };
  if (value === previous) return { direction: 'same', text: `Same as the ${before}` };
  const pct = ((value - previous) / Math.abs(previous)) * 100;
  const shown = Math.abs(pct) < 10 ? Math.abs(pct).toFixed(1) : Math.round(Math.abs(pct)).toString();
  return value > previous
    ? { direction: 'up', text: `▲ ${shown}% (${before})` }
    : { direction: 'down', text: `▼ ${shown}% (${before})` };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const parts = (date: string) => {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return {
    day: d.getUTCDate(),
    month: MONTHS[d.getUTCMonth()]!,
    year: d.getUTCFullYear(),
    weekday: WEEKDAYS[d.getUTCDay()]!,
  };
};

/** "Mon 5 Jan" */
export const dayLabel = (date: string) => {
  const p = parts(date);
  return `${p.weekday} ${p.day} ${p.month}`;
};

/** "5–11 Jan 2026", "26 Jan – 1 Feb 2026", "28 Dec 2025 – 3 Jan 2026" (both days inclusive). */
export function rangeLabel(first: string, last: string, withYear = true): string {
  const a = parts(first);
  const b = parts(last);
  const year = withYear ? ` ${b.year}` : '';
  if (first.slice(0, 10) === last.slice(0, 10)) return `${a.day} ${a.month}${year}`;
  if (a.year !== b.year) return `${a.day} ${a.month} ${a.year} – ${b.day} ${b.month}${year}`;
  if (a.month !== b.month) return `${a.day} ${a.month} – ${b.day} ${b.month}${year}`;
  return `${a.day}–${b.day} ${b.month}${year}`;
}
