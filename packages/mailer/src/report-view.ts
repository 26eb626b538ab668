// What the report e-mail shows, derived once from its input for both the HTML and the plain-text body.
import { formatBytes, oneLine } from './format';
import { datasetTitle } from '@ax/datasets';
import { describeChange, rangeLabel, type Change, type ReportSummary } from './report-summary';

export type ReportEmailInput = {
  to: string;
  scheduleName: string;
  frequency: 'weekly' | 'monthly';
  dataset: string;
  format: string;
  /** Local dates: first day of the period and the first day after it. */
  periodStart: string;
  periodEnd: string;
  /** The last day inside the period, for people ("5 to 11 January"). */
  periodLastDay: string;
  timezone: string;
  rowCount: number;
  rowUnit: 'rows' | 'periods';
  bytes: number;
  fileName: string;
  link: string;
  linkExpiresAt: Date;
  /** The recipient's one-click unsubscribe URL for this schedule (RFC 8058). */
  unsubscribeUrl: string;
  /** The period's figures; null renders the e-mail without them (e.g. a preview before any data). */
  summary: ReportSummary | null;
};

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** What the template shows, derived once for both bodies. */
export type ReportView = {
  input: ReportEmailInput;
  kicker: string;
  periodTitle: string;
  periodDetail: string;
  scheduleName: string;
  change: Change | null;
  contents: string;
  expires: string;
  why: string;
};

export function viewOf(r: ReportEmailInput): ReportView {
  const periodWord = r.frequency === 'weekly' ? 'week' : 'month';
  const wholeMonth = r.frequency === 'monthly' && r.periodStart.endsWith('-01');
  const periodTitle = wholeMonth
    ? `${MONTH_NAMES[Number(r.periodStart.slice(5, 7)) - 1]} ${r.periodStart.slice(0, 4)}`
    : rangeLabel(r.periodStart, r.periodLastDay);
  const s = r.summary;
  return {
    input: r,
    kicker: `${datasetTitle(r.dataset)} · ${r.frequency} report`,
    periodTitle,
    periodDetail: `${r.periodStart} 00:00 to ${r.periodEnd} 00:00, ${r.timezone}`,
    scheduleName: oneLine(r.scheduleName).slice(0, 200),
    change: s ? describeChange(s.metric.value, s.metric.previous, periodWord) : null,
    contents: `${r.rowCount.toLocaleString('en-US')} ${r.rowUnit}, ${formatBytes(r.bytes)}`,
    expires: r.linkExpiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    why: `You receive this ${r.frequency} report because your address (${r.to}) is on its recipient list.`,
  };
}
