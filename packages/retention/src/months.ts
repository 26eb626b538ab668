// Calendar arithmetic on UTC months for partition planning: month keys, bounds and partition names.
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A month as `YYYY-MM`. */
export type MonthKey = string;

export function monthOf(day: string): MonthKey {
  const m = DAY_RE.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${day}`);
  return `${m[1]}-${m[2]}`;
}

export function addMonths(month: MonthKey, n: number): MonthKey {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`not a YYYY-MM month: ${month}`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/** First instant of the month, UTC. */
export const monthStart = (month: MonthKey): Date => new Date(`${month}-01T00:00:00Z`);

/** Months from `first` to `last`, both included. */
export function monthRange(first: MonthKey, last: MonthKey): MonthKey[] {
  const out: MonthKey[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The name analytics.ensure_month_partitions gives a month partition: `<parent>_pYYYY_MM`. */
export const partitionName = (parent: string, month: MonthKey): string => `${parent}_p${month.replace('-', '_')}`;

/** The month a `<parent>_pYYYY_MM` name stands for, or null for any other name. */
export function monthOfPartition(parent: string, name: string): MonthKey | null {
  if (!name.startsWith(`${parent}_p`)) return null;
  const m = /^(\d{4})_(\d{2})$/.exec(name.slice(parent.length + 2));
  return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]}` : null;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && utcDay(d) === s;
}
