// /v1/report-links/<token>: the link in report e-mails. No bearer token: the HMAC-signed token is the
// credential. Valid → 302 to a fresh short-lived presigned S3 URL; tampered or expired → 403 with a page.
import { Router, type Response } from 'express';
import { getExport, getScheduleAnyState, type Sql } from '@ax/db';
import { escapeHtml } from '@ax/mailer';
import { presignDownload, verifyReportLink, type Storage } from '@ax/storage';
import { fileExpired, sendError } from '../errors';

export type ReportLinkDeps = { sql: Sql; storage: Storage; linkSecret: string; now?: () => Date };

function page(res: Response, status: number, title: string, text: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store').type('html').send(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family: sans-serif"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`,
  );
}

export function reportLinkRoutes(deps: ReportLinkDeps): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    const check = verifyReportLink(deps.linkSecret, String(req.params.token), deps.now ? deps.now() : new Date());
    if (!check.ok) {
      return check.reason === 'expired'
        ? page(res, 403, 'This link has expired', 'Download links in report e-mails work for a limited time. Ask for the report to be sent again.')
        : page(res, 403, 'This link is not valid', 'The link is incomplete or was changed. Use the link exactly as it appears in the e-mail.');
    }
    const exp = await getExport(deps.sql, check.exportId);
    // The file's lifetime ended (EXPORT_FILE_TTL_DAYS): 410, code `expired`, whatever became of the schedule.
    if (exp?.status === 'expired') {
      if (req.accepts(['html', 'json']) === 'json') return sendError(res, fileExpired());
      return page(res, 410, 'This report file has expired',
        'Report files are kept for a limited time and this one was deleted. Ask for the report to be sent again.');
    }
    const schedule = exp?.schedule_id ? await getScheduleAnyState(deps.sql, exp.schedule_id) : null;
    // Deleting the schedule (or the export) revokes the links it sent.
    if (!exp || exp.status !== 'succeeded' || !exp.s3_key || !exp.file_name || !schedule || schedule.deleted_at)
      return page(res, 410, 'This report is no longer available', 'The report behind this link was removed.');
    const link = await presignDownload(deps.storage, exp.s3_key, exp.file_name);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, link.url);
  });
  return router;
}
