// POST /v1/schedules/preview-email: the e-mail a schedule's recipients will get, rendered by the report
// e-mail's own template (@ax/mailer) for the last completed period, with example figures and a sample link.
// Nothing is stored or sent.
import { Router } from 'express';
import { z } from 'zod';
import { periodCoveredBy } from '@ax/datasets';
import { renderReportEmail } from '@ax/mailer';
import { exportFile } from '@ax/storage';
import { badRequest, zodDetails } from '../errors';
import { createScheduleSchema } from '../schedule-request';

export const emailPreviewSchema = createScheduleSchema
  .pick({ name: true, dataset: true, format: true, frequency: true, timezone: true, compression: true })
  .strict();

/** Example figures, named as such on the page: the real e-mail carries the file's own. */
const EXAMPLE = { rowCount: 1234, bytes: 56_789, linkTtlDays: 7 };

export function emailPreviewRoutes(deps: { now?: () => Date }): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const parsed = emailPreviewSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    const b = parsed.data;
    const now = deps.now ? deps.now() : new Date();
    const period = periodCoveredBy(b.frequency, b.timezone, now);
    const lastDay = new Date(Date.parse(`${period.endDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const file = exportFile({ dataset: b.dataset, format: b.format, compression: b.compression, from_input: period.startDate, to_input: period.endDate });
    const mail = renderReportEmail({
      to: 'recipient@example.com', scheduleName: b.name, frequency: b.frequency, dataset: b.dataset, format: b.format,
      periodStart: period.startDate, periodEnd: period.endDate, periodLastDay: lastDay, timezone: b.timezone,
      rowCount: EXAMPLE.rowCount, rowUnit: b.format === 'json' ? 'periods' : 'rows', bytes: EXAMPLE.bytes, fileName: file.name,
      link: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1/report-links/example-signed-token`,
      linkExpiresAt: new Date(now.getTime() + EXAMPLE.linkTtlDays * 86_400_000),
    });
    res.json({ subject: mail.subject, text: mail.text, html: mail.html, period_start: period.startDate, period_end: period.endDate });
  });
  return router;
}
