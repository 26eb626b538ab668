// The one e-mail a schedule's failure contacts get when it is paused for failing (§6.4).
import { datasetTitle } from '@ax/datasets';
import e from 'escape-html';
import { oneLine } from './format';
import type { MailMessage } from './ses-sender';

export type FailureNoticeInput = {
  to: string;
  scheduleName: string;
  dataset: string;
  frequency: 'weekly' | 'monthly';
  failedRuns: number;
  lastError: string | null;
  /** Where the owner can see the runs and resume the schedule. */
  manageUrl: string;
};

export function renderFailureNotice(n: FailureNoticeInput): MailMessage {
  const what = `${datasetTitle(n.dataset)} · ${n.frequency} report`;
  const name = oneLine(n.scheduleName).slice(0, 200);
  const subject = oneLine(
    `Paused: ${what} failed ${n.failedRuns} times in a row${name ? ` · ${name.slice(0, 60)}` : ''}`,
  );
  const lines = [
    `The scheduled report "${what}"${name ? ` (${name})` : ''} failed ${n.failedRuns} times in a row and is now paused.`,
    'No more runs happen until someone resumes it.',
    ...(n.lastError ? ['', `Last error: ${oneLine(n.lastError).slice(0, 300)}`] : []),
    '',
    `See its runs and resume it: ${n.manageUrl}`,
    '',
    'You get this e-mail because your address is a failure contact of this schedule. You get it once per pause.',
    '',
  ];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:#111827;max-width:600px;margin:0 auto;padding:16px">
<div style="font-size:12px;color:#6b7280;text-transform:uppercase;letter-spacing:.05em">${e(what)}</div>
<h1 style="font-size:20px;margin:4px 0 8px">Paused after ${n.failedRuns} failed runs in a row</h1>
${name ? `<p style="margin:0 0 8px">Report: ${e(name)}</p>` : ''}
<p>No more runs happen until someone resumes it.</p>
${n.lastError ? `<p style="font-size:14px;color:#374151">Last error: ${e(oneLine(n.lastError).slice(0, 300))}</p>` : ''}
<p><a href="${e(n.manageUrl)}">See its runs and resume it</a></p>
<p style="font-size:12px;color:#6b7280">You get this e-mail because your address is a failure contact of this schedule. You get it once per pause.</p>
</body></html>
`;
  return { to: n.to, subject, html, text: lines.join('\n'), attachments: [] };
}
