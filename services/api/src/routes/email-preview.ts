// POST /v1/schedules/preview-email: the e-mail a schedule's recipients will get, rendered by the report
// e-mail's own template (@ax/mailer) for the last completed period, with example figures and a sample link.
// Nothing is stored or sent.
import { Router } from 'express';
import { datasetTitle, periodCoveredBy } from '@ax/datasets';
import { renderReportEmail, type ReportSummary } from '@ax/mailer';
import { exportFile } from '@ax/storage';
import { badRequest, zodDetails } from '../errors';
import { createScheduleSchema } from '../schedule-request';

export const emailPreviewSchema = createScheduleSchema
  .pick({ name: true, dataset: true, format: true, frequency: true, timezone: true, compression: true })
  .strict();

/** Example figures, named as such on the page: the real e-mail carries the file's own. */
const EXAMPLE = { rowCount: 1234, bytes: 56_789, linkTtlDays: 7 };

/** Example figures in the shape of the real summary, so the preview shows the e-mail's whole layout. */
function exampleSummary(dataset: string, frequency: 'weekly' | 'monthly'): ReportSummary {
  const labels =
    frequency === 'weekly'
      ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
      : ['Week 1', 'Week 2', 'Week 3', 'Week 4'];
  const bars = labels.map((label, i) => ({ label, value: 120 + ((i * 37) % 90) }));
  return {
    metric: {
      label: datasetTitle(dataset),
      unit: 'rows',
      value: bars.reduce((n, b) => n + b.value, 0),
      previous: 1100,
    },
    figures: [],
    chart: { title: `Per ${frequency === 'weekly' ? 'day' : 'week'} (example figures)`, bars },
    top: null,
  };
}

export function emailPreviewRoutes(deps: { now?: () => Date }): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const parsed = emailPreviewSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    const b = parsed.data;
    const now = deps.now ? deps.now() : new Date();
    const period = periodCoveredBy(b.frequency, b.timezone, now);
    const lastDay = new Date(Date.parse(`${period.endDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const file = exportFile({
      dataset: b.dataset,
      format: b.format,
      compression: b.compression,
      from_input: period.startDate,
      to_input: period.endDate,
    });
    const mail = renderReportEmail({
      to: 'recipient@example.com',
      scheduleName: b.name,
      frequency: b.frequency,
      dataset: b.dataset,
      format: b.format,
      periodStart: period.startDate,
      periodEnd: period.endDate,
      periodLastDay: lastDay,
      timezone: b.timezone,
      rowCount: EXAMPLE.rowCount,
      rowUnit: b.format === 'json' ? 'periods' : 'rows',
      bytes: EXAMPLE.bytes,
      fileName: file.name,
      link: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1/report-links/example-signed-token`,
      linkExpiresAt: new Date(now.getTime() + EXAMPLE.linkTtlDays * 86_400_000),
      unsubscribeUrl: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1/unsubscribe/example-signed-token`,
      summary: exampleSummary(b.dataset, b.frequency),
    });
    res.json({
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      period_start: period.startDate,
      period_end: period.endDate,
    });
  });
  return router;
}
