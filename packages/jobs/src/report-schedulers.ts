// One BullMQ job scheduler per report schedule, with a stable id. PostgreSQL stays the record: these are
// rebuilt from it by the reconciler whenever Redis lost them or they drifted.
import { jobCatalog } from './catalog';
import type { Queues } from './queues';

const PREFIX = 'schedule-';

/** Custom ids must not contain ':' (BullMQ uses it in its keys); a uuid never does. */
export const reportSchedulerId = (scheduleId: string) => `${PREFIX}${scheduleId}`;
export const scheduleIdOf = (schedulerId: string): string | null =>
  schedulerId.startsWith(PREFIX) ? schedulerId.slice(PREFIX.length) : null;

export type ReportSchedulerSpec = { scheduleId: string; pattern: string; tz: string };

export async function upsertReportScheduler(queues: Queues, spec: ReportSchedulerSpec): Promise<void> {
  const def = jobCatalog['report.trigger'];
  const data = def.schema.parse({ scheduleId: spec.scheduleId });
  await queues.reports.upsertJobScheduler(
    reportSchedulerId(spec.scheduleId),
    { pattern: spec.pattern, tz: spec.tz },
    { name: 'report.trigger', data, opts: def.options },
  );
}

export async function removeReportScheduler(queues: Queues, scheduleId: string): Promise<void> {
  await queues.reports.removeJobScheduler(reportSchedulerId(scheduleId));
}

/** The report schedulers Redis holds now, by schedule id. */
export async function listReportSchedulers(queues: Queues): Promise<Map<string, { pattern?: string; tz?: string }>> {
  const out = new Map<string, { pattern?: string; tz?: string }>();
  const pageSize = 1000;
  for (let start = 0; ; start += pageSize) {
    const page = await queues.reports.getJobSchedulers(start, start + pageSize - 1, true);
    for (const s of page) {
      const id = scheduleIdOf(s.key);
      if (id) out.set(id, { pattern: s.pattern ?? undefined, tz: s.tz ?? undefined });
    }
    if (page.length < pageSize) break;
  }
  return out;
}
