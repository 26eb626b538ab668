// The report e-mail: subject with name, dataset and period; HTML (everything escaped) and plain-text bodies.
import type { MailMessage } from './ses-sender';

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
};

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Header-safe single line: control characters (CR, LF, …) become spaces. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function renderReportEmail(r: ReportEmailInput): MailMessage {
  const title = oneLine(r.scheduleName) || `${r.frequency === 'weekly' ? 'Weekly' : 'Monthly'} report`;
  const period = `${r.periodStart} to ${r.periodLastDay}`;
  const subject = oneLine(`${title}: ${r.dataset}, ${period} (${r.timezone})`);
  const count = `${r.rowCount.toLocaleString('en-US')} ${r.rowUnit}`;
  const size = formatBytes(r.bytes);
  const expires = r.linkExpiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const text = [
    title,
    '',
    `Dataset: ${r.dataset} (${r.format})`,
    `Period: ${period}, from ${r.periodStart} 00:00 to ${r.periodEnd} 00:00 (${r.timezone})`,
    `Contents: ${count}, ${size}`,
    '',
    `Download ${r.fileName}:`,
    r.link,
    '',
    `The link works until ${expires}.`,
    `You receive this ${r.frequency} report because your address is on its recipient list.`,
    `Unsubscribe from this report: ${r.unsubscribeUrl}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<h2>${e(title)}</h2>
<table cellpadding="4">
<tr><td>Dataset</td><td>${e(r.dataset)} (${e(r.format)})</td></tr>
<tr><td>Period</td><td>${e(period)}<br><small>${e(r.periodStart)} 00:00 to ${e(r.periodEnd)} 00:00, time zone ${e(r.timezone)}</small></td></tr>
<tr><td>Contents</td><td>${e(count)}, ${e(size)}</td></tr>
</table>
<p><a href="${e(r.link)}">Download ${e(r.fileName)}</a></p>
<p><small>The link works until ${e(expires)}. You receive this ${e(r.frequency)} report because your address is on its recipient list.
<a href="${e(r.unsubscribeUrl)}">Unsubscribe from this report</a>.</small></p>
</body></html>
`;
  return { to: r.to, subject, html, text, headers: unsubscribeHeaders(r.unsubscribeUrl), attachments: [] };
}

/** RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the URL. */
export const unsubscribeHeaders = (url: string) => [
  { name: 'List-Unsubscribe', value: `<${oneLine(url)}>` },
  { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
];
