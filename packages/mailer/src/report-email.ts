// The report e-mail, one pure function from data to message: subject (dataset and period first, the schedule's
// name last), a mobile-friendly HTML body (tables and inline styles only: no script, no SVG, no remote images),
// a plain-text body with the same figures, and the RFC 8058 unsubscribe headers. A page preview can call it too.
import { datasetTitle } from '@ax/datasets';
import type { MailMessage } from './ses-sender';
import { formatBytes, oneLine } from './format';
import { renderReportHtml } from './report-email-html';
import { describeChange, formatCount, rangeLabel, type Change, type ReportSummary } from './report-summary';

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

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

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

export function renderReportEmail(r: ReportEmailInput): MailMessage {
  const v = viewOf(r);
  const s = r.summary;
  const headline = s ? `${formatCount(s.metric.value)} ${s.metric.unit}${v.change?.direction === 'up' || v.change?.direction === 'down' ? ` (${v.change.text.split(' (')[0]})` : ''}` : `${r.frequency} report`;
  const name = v.scheduleName ? ` · ${v.scheduleName.length > 60 ? `${v.scheduleName.slice(0, 59)}…` : v.scheduleName}` : '';
  const subject = oneLine(`${datasetTitle(r.dataset)}, ${v.periodTitle}: ${headline}${name}`);
  return { to: r.to, subject, html: renderReportHtml(v), text: renderReportText(v), headers: unsubscribeHeaders(r.unsubscribeUrl), attachments: [] };
}

function renderReportText(v: ReportView): string {
  const r = v.input;
  const s = r.summary;
  const lines = [v.kicker.toUpperCase(), v.periodTitle, v.periodDetail];
  if (v.scheduleName) lines.push(`Report: ${v.scheduleName}`);
  lines.push('');
  if (s) {
    lines.push(`${s.metric.label}: ${formatCount(s.metric.value)}`, v.change!.text);
    for (const f of s.figures) lines.push(`${f.label}: ${f.value}`);
    lines.push('', s.chart.title);
    const max = Math.max(0, ...s.chart.bars.map((b) => b.value));
    const width = Math.max(...s.chart.bars.map((b) => b.label.length), 0);
    for (const b of s.chart.bars) {
      const bar = max > 0 ? '#'.repeat(Math.round((b.value / max) * 24)) : '';
      lines.push(`${b.label.padEnd(width)}  ${bar.padEnd(24)}  ${formatCount(b.value)}`);
    }
    if (s.top && s.top.rows.length) {
      lines.push('', s.top.title);
      s.top.rows.forEach((row, i) => lines.push(`${i + 1}. ${oneLine(row.label)}: ${row.value}`));
    }
    lines.push('');
  }
  lines.push(
    `Download ${r.fileName} (${r.format.toUpperCase()}, ${v.contents}):`,
    r.link,
    `The link works until ${v.expires}.`,
    '',
    v.why,
    `Unsubscribe from this report: ${r.unsubscribeUrl}`,
    '',
  );
  return lines.join('\n');
}

/** RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the URL. */
export const unsubscribeHeaders = (url: string) => [
  { name: 'List-Unsubscribe', value: `<${oneLine(url)}>` },
  { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
];
