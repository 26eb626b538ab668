// /v1/report-links/<token>: the link in report e-mails, one per delivery (recipient and run). No bearer token: the
// HMAC-signed token is the credential. Valid → 302 to a fresh short-lived presigned S3 URL; tampered or expired
// (the token's own expiry, capped at LINK_TTL_DAYS from the send) → 403; schedule deleted or file gone → 410.
import { Router } from 'express';
import { getDeliveryLink, getExport, getScheduleAnyState, type Sql } from '@ax/db';
import { presignDownload, verifyReportLink, type Storage } from '@ax/storage';
import { fileExpired, sendError } from '../errors';
import { goneReportPage, sendRecipientPage } from '../recipient-page';

export type ReportLinkDeps = { sql: Sql; storage: Storage; linkSecret: string; linkTtlDays: number; now?: () => Date };

const INVALID = {
  title: 'This link is not valid',
  paragraphs: ['The link is incomplete or was changed. Use the link exactly as it appears in the e-mail.'],
};
const EXPIRED = {
  title: 'This link has expired',
  paragraphs: ['Download links in report e-mails work for a limited time. Ask for the report to be sent again.'],
};

export function reportLinkRoutes(deps: ReportLinkDeps): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    const now = deps.now ? deps.now() : new Date();
    const check = verifyReportLink(deps.linkSecret, String(req.params.token), now);
    if (!check.ok) return sendRecipientPage(res, 403, check.reason === 'expired' ? EXPIRED : INVALID);
    const delivery = await getDeliveryLink(deps.sql, check.deliveryId);
    if (!delivery || !delivery.sent_at) return sendRecipientPage(res, 403, INVALID); // a link that was never sent
    // Whatever expiry the token carries, it is never honoured beyond LINK_TTL_DAYS from the send.
    if (delivery.sent_at.getTime() + deps.linkTtlDays * 86400_000 <= now.getTime())
      return sendRecipientPage(res, 403, EXPIRED);
    const schedule = await getScheduleAnyState(deps.sql, delivery.schedule_id);
    // Deleting the schedule revokes the links it sent.
    if (!schedule || schedule.deleted_at)
      return sendRecipientPage(res, 410, goneReportPage('The report behind this link was deleted by its owner.'));
    const exp = delivery.export_id ? await getExport(deps.sql, delivery.export_id) : null;
    // The file's lifetime ended (EXPORT_FILE_TTL_DAYS): 410, code `expired`.
    if (exp?.status === 'expired') {
      if (req.accepts(['html', 'json']) === 'json') return sendError(res, fileExpired());
      return sendRecipientPage(
        res,
        410,
        goneReportPage('Report files are kept for a limited time and this one was deleted.'),
      );
    }
    if (!exp || exp.status !== 'succeeded' || !exp.s3_key || !exp.file_name)
      return sendRecipientPage(res, 410, goneReportPage('The file behind this link was removed.'));
    const link = await presignDownload(deps.storage, exp.s3_key, exp.file_name);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(302, link.url);
  });
  return router;
}
