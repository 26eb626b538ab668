// Calendar days in a time zone, as YYYY-MM-DD, for presets and period pickers (no library: Intl does it).

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const zones = (): string[] => {
  const list = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
};

/** Today's date in `zone`. */
export function todayIn(zone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return parts.slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function addMonths(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n, 1);
  return d.toISOString().slice(0, 10);
}

export const firstOfMonth = (day: string) => `${day.slice(0, 7)}-01`;

/** Minutes `zone` is ahead of UTC at `day`'s noon. */
export function offsetMinutes(zone: string, day: string): number {
  const at = new Date(`${day}T12:00:00Z`);
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

export type Range = { from: string; to: string };

/** The presets of the export form; "everything still kept" starts at the retention cutoff (UTC). */
export function presets(zone: string, oldest: string | undefined): { id: string; label: string; range: Range }[] {
  const today = todayIn(zone);
  const thisMonth = firstOfMonth(today);
  // A zone ahead of UTC starts the cutoff day before the UTC cutoff: begin a day later so nothing is out of retention.
  const kept = oldest ? (offsetMinutes(zone, oldest) > 0 ? addDays(oldest, 1) : oldest) : addMonths(thisMonth, -24);
  return [
    { id: 'last-7-days', label: 'Last 7 days', range: { from: addDays(today, -7), to: today } },
    { id: 'last-month', label: 'Last month', range: { from: addMonths(thisMonth, -1), to: thisMonth } },
    { id: 'last-12-months', label: 'Last 12 months', range: { from: addMonths(thisMonth, -12), to: thisMonth } },
    { id: 'all-kept', label: 'Everything still kept', range: { from: kept, to: addDays(today, 1) } },
  ];
}

/** Local time with the zone's name, so a person sees it is theirs. */
export const INSTANT_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

export const formatInstant = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, INSTANT_FORMAT) : '—';

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
