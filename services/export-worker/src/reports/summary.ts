// The figures of a report e-mail (see @ax/mailer report-summary): the dataset's own JSON aggregate (the same
// numbers the JSON export has) over the period, the previous period and the period's days or weeks, plus a top 5
// of packages where the dataset is about packages. Scoped exactly like the export (publisher, package filter).
import type { ExportRow, ScheduleRow, Sql } from '@ax/db';
import {
  exportScope,
  getDataset,
  jsonDocument,
  periodStartingOn,
  previousPeriod,
  topPackages,
  type Dataset,
  type DatasetScope,
  type Granularity,
} from '@ax/datasets';
import { dayLabel, formatCount, rangeLabel, type ReportSummary } from '@ax/mailer';
import { oldestKept } from '@ax/retention';

type Metrics = Record<string, unknown>;
type Period = { period_start: string; period_end: string; metrics: Metrics };
type Top = NonNullable<ReportSummary['top']>;

async function periodsOf(sql: Sql, dataset: Dataset, scope: DatasetScope): Promise<Period[]> {
  let text = '';
  const header = { dataset: dataset.id, granularity: scope.granularity, timezone: scope.timezone, from: '', to: '' };
  for await (const piece of jsonDocument(sql, dataset, scope, header)) text += piece.text;
  return (JSON.parse(text) as { periods: Period[] }).periods;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const entriesOf = (m: Metrics, key: string) => Object.entries((m[key] ?? {}) as Record<string, number>);
const snapshotOf = (m: Metrics) => (typeof m.snapshot_date === 'string' ? m.snapshot_date : 'none');
const versionsOf = (m: Metrics) => (m.versions ?? []) as { package_id: string; active_tenant_count: number }[];
const leaderboardOf = (m: Metrics) =>
  (m.entries ?? []) as { publisher_id: string; rank: number; weighted_score: number | string; tier: string }[];
const activeTenants = (m: Metrics) => versionsOf(m).reduce((sum, v) => sum + num(v.active_tenant_count), 0);
const topOf = (title: string, pairs: [string, number][], unit = ''): Top => ({
  title,
  rows: pairs
    .filter(([, n]) => n !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([label, n]) => ({ label, value: `${formatCount(n)}${unit}` })),
});

type Ctx = { sql: Sql; scope: DatasetScope; total: Metrics };
type Shape = {
  label: string;
  unit: string;
  value: (m: Metrics) => number;
  figures: (m: Metrics) => { label: string; value: string }[];
  top: (ctx: Ctx) => Promise<Top | null> | Top | null;
};

const packageLabel = (id: string, name: string | null) => (name && name !== id ? `${name} (${id})` : id);

const SHAPES: Record<string, Shape> = {
  install_events: {
    label: 'Installs',
    unit: 'installs',
    value: (m) => num(m.install_count),
    figures: (m) => [{ label: 'Unique tenants', value: formatCount(num(m.unique_tenants)) }],
    top: async (ctx) => ({
      title: 'Top packages by installs',
      rows: (await topPackages(ctx.sql, ctx.scope, 'install_events', 'install_date')).map((r) => ({
        label: packageLabel(r.package_id, r.name),
        value: formatCount(r.n),
      })),
    }),
  },
  geographic_summary: {
    label: 'Installs',
    unit: 'installs',
    value: (m) => num(m.install_count),
    figures: (m) => [{ label: 'Countries', value: formatCount(entriesOf(m, 'countries').length) }],
    top: ({ total }) => topOf('Top countries by installs', entriesOf(total, 'countries')),
  },
  reviews: {
    label: 'Reviews',
    unit: 'reviews',
    value: (m) => num(m.review_count),
    figures: (m) => [
      {
        label: 'Average rating',
        value:
          m.average_rating === null || m.average_rating === undefined
            ? 'no reviews'
            : `${num(m.average_rating).toFixed(2)} of 5`,
      },
    ],
    top: async (ctx) => ({
      title: 'Top packages by reviews',
      rows: (await topPackages(ctx.sql, ctx.scope, 'reviews', 'review_date')).map((r) => ({
        label: packageLabel(r.package_id, r.name),
        value: `${formatCount(r.n)} · avg ${r.avg}`,
      })),
    }),
  },
  version_adoption: {
    label: 'Active tenants (latest snapshot)',
    unit: 'active tenants',
    value: activeTenants,
    figures: (m) => [
      { label: 'Snapshot of', value: snapshotOf(m) },
      { label: 'Versions', value: formatCount(versionsOf(m).length) },
    ],
    top: ({ total }) => {
      const byPackage = new Map<string, number>();
      for (const v of versionsOf(total))
        byPackage.set(v.package_id, (byPackage.get(v.package_id) ?? 0) + num(v.active_tenant_count));
      return topOf('Top packages by active tenants', [...byPackage]);
    },
  },
  reputation_events: {
    label: 'Reputation points',
    unit: 'points',
    value: (m) => num(m.points),
    figures: (m) => [{ label: 'Events', value: formatCount(num(m.event_count)) }],
    top: ({ total }) => topOf('Points by event type', entriesOf(total, 'points_by_event_type')),
  },
  marketplace_summary: {
    label: 'Marketplace installs',
    unit: 'installs',
    value: (m) => num(m.total_installs),
    figures: (m) => [
      { label: 'New packages', value: formatCount(num(m.new_packages)) },
      { label: 'Certifications granted', value: formatCount(num(m.certifications_granted)) },
      { label: 'Active publishers (peak day)', value: formatCount(num(m.active_publishers)) },
    ],
    top: () => null,
  },
  leaderboard_history: {
    label: 'Publishers ranked (latest snapshot)',
    unit: 'publishers ranked',
    value: (m) => leaderboardOf(m).length,
    figures: (m) => [{ label: 'Snapshot of', value: snapshotOf(m) }],
    top: ({ total }) => ({
      title: 'Top of the leaderboard',
      rows: leaderboardOf(total)
        .slice(0, 5)
        .map((e) => ({ label: `#${e.rank} ${e.publisher_id} (${e.tier})`, value: `score ${e.weighted_score}` })),
    }),
  },
};

/**
 * The summary of a finished scheduled export, or null for a dataset without a shape. The previous period is compared
 * only while it is still kept as of `asOf.now` (RETENTION_MONTHS).
 */
export async function reportSummary(
  sql: Sql,
  schedule: Pick<ScheduleRow, 'frequency'>,
  exp: ExportRow,
  asOf: { now: Date; retentionMonths: number },
): Promise<ReportSummary | null> {
  const dataset = getDataset(exp.dataset);
  const shape = SHAPES[exp.dataset];
  if (!dataset || !shape) return null;
  const weekly = schedule.frequency === 'weekly';
  const whole: Granularity = weekly ? 'week' : 'month';
  const base = exportScope(exp);
  const period = periodStartingOn(schedule.frequency, exp.timezone, exp.from_input);
  const prev = period ? previousPeriod(period) : null;
  // The previous period, while it is kept, ends where this one starts: one aggregate over both gives both figures.
  const withPrev =
    prev && prev.end.getTime() === base.from.getTime() && prev.start >= oldestKept(asOf.now, asOf.retentionMonths);
  const wholes = await periodsOf(sql, dataset, {
    ...base,
    from: withPrev ? prev.start : base.from,
    granularity: whole,
  });
  const [before, total] = withPrev ? wholes : [undefined, wholes[0]];
  const series = await periodsOf(sql, dataset, { ...base, granularity: weekly ? 'day' : 'week' });
  const totalMetrics = total?.metrics ?? {};
  const lastDay = (end: string) =>
    new Date(Date.parse(`${end.slice(0, 10)}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
  return {
    metric: {
      label: shape.label,
      unit: shape.unit,
      value: shape.value(totalMetrics),
      previous: before ? shape.value(before.metrics) : null,
    },
    figures: shape.figures(totalMetrics),
    chart: {
      title: `${shape.label} per ${weekly ? 'day' : 'week'}`,
      bars: series.map((p) => ({
        label: weekly ? dayLabel(p.period_start) : rangeLabel(p.period_start, lastDay(p.period_end), false),
        value: shape.value(p.metrics),
      })),
    },
    top: await shape.top({ sql, scope: base, total: totalMetrics }),
  };
}
