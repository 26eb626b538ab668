// The report e-mail, one pure function from data to message: subject (dataset and period first, the schedule's
// name last), a mobile-friendly HTML body (tables and inline styles only: no script, no SVG, no remote images),
// a plain-text body with the same figures, and the RFC 8058 unsubscribe headers. A page preview can call it too.
import { datasetTitle } from '@ax/datasets';
import type { MailMessage } from './ses-sender';
import { oneLine } from './format';
import { renderReportHtml } from './report-email-html';
import { formatCount } from './report-summary';
import { viewOf, type ReportEmailInput, type ReportView } from './report-view';

export function renderReportEmail(r: ReportEmailInput): MailMessage {
  const v = viewOf(r);
  const s = r.summary;
  const headline = s
    ? `${formatCount(s.metric.value)} ${s.metric.unit}${v.change?.direction === 'up' || v.change?.direction === 'down' ? ` (${v.change.text.split(' (')[0]})` : ''}`
    : `${r.frequency} report`;
  const name = v.scheduleName
    ? ` · ${v.scheduleName.length > 60 ? `${v.scheduleName.slice(0, 59)}…` : v.scheduleName}`
    : '';
  const subject = oneLine(`${datasetTitle(r.dataset)}, ${v.periodTitle}: ${headline}${name}`);
  return {
    to: r.to,
    subject,
    html: renderReportHtml(v),
    text: renderReportText(v),
    headers: unsubscribeHeaders(r.unsubscribeUrl),
    attachments: [],
  };
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
