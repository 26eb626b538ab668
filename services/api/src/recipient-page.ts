// Small HTML pages for people who arrive from a report e-mail (download links, unsubscribe): no script, no
// remote assets, everything escaped, never cached. Forms post back to our own routes.
import type { Response } from 'express';
import escapeHtml from 'escape-html';

export type PageForm = { action: string; button: string };
export type RecipientPage = { title: string; paragraphs: string[]; form?: PageForm };

export function renderRecipientPage(p: RecipientPage): string {
  const e = escapeHtml;
  const form = p.form
    ? `<form method="post" action="${e(p.form.action)}"><button type="submit" style="font-size:1rem;padding:.6em 1.2em">${e(p.form.button)}</button></form>`
    : '';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${e(p.title)}</title></head>` +
    `<body style="font-family: sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">` +
    `<h1 style="font-size:1.4rem">${e(p.title)}</h1>${p.paragraphs.map((t) => `<p>${e(t)}</p>`).join('')}${form}</body></html>\n`
  );
}

// Nothing but inline styles and a form posting to ourselves; never framed (a framed button could be clicked blind).
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function sendRecipientPage(res: Response, status: number, page: RecipientPage): void {
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': CSP,
      'X-Frame-Options': 'DENY',
    })
    .type('html')
    .send(renderRecipientPage(page));
}

/** The 410 page of a link whose report is gone (schedule deleted, file expired). */
export const goneReportPage = (reason: string): RecipientPage => ({
  title: 'This report is no longer available',
  paragraphs: [
    reason,
    'Nothing can be downloaded from this link any more. Ask the sender for a new report if you still need it.',
  ],
});
