// The HTML body of the report e-mail: nested tables and inline styles, which mail clients render alike; the
// chart is table cells with background colours (no script, SVG or remote image). Every value is escaped.
import e from 'escape-html';
import type { ReportView } from './report-view';
import { formatCount, type ReportSummary } from './report-summary';

const FONT = 'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif';
const MUTED = 'color:#6b7280';
const CHANGE_COLOUR = { up: '#047857', down: '#b91c1c', same: '#374151', new: '#047857', none: '#6b7280' } as const;

const section = (inner: string, pad = '12px 24px') => `<tr><td style="padding:${pad}">${inner}</td></tr>`;
const heading = (text: string) => `<div style="font-size:15px;font-weight:bold;margin:0 0 8px">${e(text)}</div>`;

function chart(s: ReportSummary): string {
  const max = Math.max(0, ...s.chart.bars.map((b) => b.value));
  const rows = s.chart.bars.map((b) => {
    const pct = max > 0 && b.value > 0 ? Math.max(1, Math.round((b.value / max) * 100)) : 0;
    const bar = pct
      ? `<table role="presentation" width="${pct}%" cellpadding="0" cellspacing="0"><tr><td bgcolor="#3b82f6" style="background:#3b82f6;height:14px;font-size:0;line-height:0;border-radius:2px">&nbsp;</td></tr></table>`
      : '';
    return (
      `<tr><td style="padding:3px 8px 3px 0;white-space:nowrap;font-size:13px;${MUTED}">${e(b.label)}</td>` +
      `<td width="100%" style="padding:3px 0">${bar}</td>` +
      `<td align="right" style="padding:3px 0 3px 8px;white-space:nowrap;font-size:13px">${e(formatCount(b.value))}</td></tr>`
    );
  });
  return (
    heading(s.chart.title) +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows.join('')}</table>`
  );
}

function top(s: ReportSummary): string {
  if (!s.top || s.top.rows.length === 0) return '';
  const rows = s.top.rows.map(
    (r, i) =>
      `<tr><td style="padding:5px 8px 5px 0;border-top:1px solid #e5e7eb;font-size:14px;${MUTED};width:1%">${i + 1}.</td>` +
      `<td style="padding:5px 0;border-top:1px solid #e5e7eb;font-size:14px;word-break:break-word">${e(r.label)}</td>` +
      `<td align="right" style="padding:5px 0 5px 8px;border-top:1px solid #e5e7eb;font-size:14px;white-space:nowrap">${e(r.value)}</td></tr>`,
  );
  return section(
    heading(s.top.title) +
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows.join('')}</table>`,
  );
}

function figures(v: ReportView, s: ReportSummary): string {
  const change = v.change!;
  const extra = s.figures
    .map(
      (f) =>
        `<tr><td style="padding:2px 12px 2px 0;font-size:14px;${MUTED}">${e(f.label)}</td><td style="padding:2px 0;font-size:14px;font-weight:bold">${e(f.value)}</td></tr>`,
    )
    .join('');
  return section(
    `<div style="font-size:13px;${MUTED}">${e(s.metric.label)}</div>` +
      `<div style="font-size:34px;line-height:1.2;font-weight:bold">${e(formatCount(s.metric.value))}</div>` +
      `<div style="font-size:14px;color:${CHANGE_COLOUR[change.direction]}">${e(change.text)}</div>` +
      (extra
        ? `<table role="presentation" cellpadding="0" cellspacing="0" style="margin-top:10px">${extra}</table>`
        : ''),
    '16px 24px 8px',
  );
}

export function renderReportHtml(v: ReportView): string {
  const r = v.input;
  const s = r.summary;
  const name = v.scheduleName
    ? `<div style="font-size:13px;color:#374151;margin-top:6px">Report: ${e(v.scheduleName)}</div>`
    : '';
  const body = [
    section(
      `<div style="font-size:12px;${MUTED};text-transform:uppercase;letter-spacing:.05em">${e(v.kicker)}</div>` +
        `<h1 style="margin:4px 0 2px;font-size:22px;line-height:1.3">${e(v.periodTitle)}</h1>` +
        `<div style="font-size:13px;${MUTED}">${e(v.periodDetail)}</div>${name}`,
      '20px 24px 4px',
    ),
    s ? figures(v, s) : '',
    s ? section(chart(s)) : '',
    s ? top(s) : '',
    section(
      `<a href="${e(r.link)}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;font-weight:bold;font-size:15px;padding:12px 20px;border-radius:6px">Download ${e(r.format.toUpperCase())}</a>` +
        `<div style="font-size:13px;${MUTED};margin-top:8px;word-break:break-all">${e(r.fileName)}</div>` +
        `<div style="font-size:13px;${MUTED}">${e(v.contents)} · the link works until ${e(v.expires)}</div>`,
      '16px 24px',
    ),
    section(
      `<div style="font-size:12px;${MUTED};border-top:1px solid #e5e7eb;padding-top:12px">${e(v.why)} ` +
        `<a href="${e(r.unsubscribeUrl)}" style="color:#6b7280">Unsubscribe from this report</a>.</div>`,
      '8px 24px 20px',
    ),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light"><title>${e(v.kicker)}: ${e(v.periodTitle)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;${FONT};color:#111827">
${body}
</table>
</td></tr></table>
</body></html>
`;
}
