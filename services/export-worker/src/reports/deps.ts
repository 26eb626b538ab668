// What the scheduled-report handlers need, passed in (no container), plus the shared "move a run along" step.
import {
  claimRun,
  getExport,
  type ExportStatus,
  type RunPeriod,
  type RunRow,
  type ScheduleRow,
  type Sql,
} from '@ax/db';
import { enqueue, jobCatalog, type Queues } from '@ax/jobs';
import type { SendMail } from '@ax/mailer';
import type { Logger, Metrics } from '@ax/runtime';

export type ReportDeps = {
  sql: Sql;
  /** Where the e-mail's figures are read (ANALYTICS_DATABASE_URL); default `sql`. */
  analyticsSql?: Sql;
  queues: Queues;
  sendMail: SendMail;
  links: { publicBaseUrl: string; secret: string; ttlDays: number };
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  /** RETENTION_MONTHS: catch-up and the e-mail's previous-period figure never reach before the retention cutoff. */
  retentionMonths: number;
  /** A send claim older than this means its sender died mid-call (SES requests time out after 20 s). */
  claimTimeoutMs?: number;
  /** Parallel SES calls within one run's delivery job. */
  sendConcurrency?: number;
  /** RECIPIENT_DOMAIN_ALLOWLIST, checked again at send time (empty = any domain). */
  recipientDomains?: string[];
  /** EMAILS_PER_PUBLISHER_PER_DAY (default 2000): over it a delivery fails 'rate_limited', unsent. */
  emailsPerPublisherPerDay?: number;
  /** REPORT_FAILURES_BEFORE_PAUSE: consecutive failed runs that pause a schedule (default 3). */
  failuresBeforePause?: number;
};

export const nowOf = (deps: Pick<ReportDeps, 'now'>) => (deps.now ? deps.now() : new Date());

/** Claims the run for a period (once) and starts it. Safe to repeat: the unique run row decides. */
export async function startRun(
  deps: ReportDeps,
  schedule: ScheduleRow,
  period: RunPeriod,
): Promise<{ run: RunRow; created: boolean }> {
  const claimed = await claimRun(deps.sql, schedule, period);
  // A run created here has a queued export: no need to read it back.
  await driveRun(deps, claimed.run, claimed.created ? 'queued' : undefined);
  return claimed;
}

/**
 * Enqueues whatever a run needs next: its export while that is not finished, else its delivery job. The export's
 * status is read unless the caller has just read or written it. Every step is idempotent (deterministic job ids,
 * guarded rows), so repeating it after a crash is harmless.
 */
export async function driveRun(
  deps: Pick<ReportDeps, 'sql' | 'queues'>,
  run: Pick<RunRow, 'id' | 'status' | 'export_id'>,
  exportStatus?: ExportStatus,
): Promise<void> {
  if (run.status === 'succeeded' || run.status === 'failed' || !run.export_id) return;
  const status = exportStatus ?? (await getExport(deps.sql, run.export_id))?.status;
  if (status === 'queued' || status === 'running') {
    await enqueue(deps.queues, 'export.run', { exportId: run.export_id });
    return;
  }
  await ensureDeliverJob(deps.queues, run.id);
}

/** Adds the run's delivery job; a finished or dead one left in Redis under the same id is replaced first. */
export async function ensureDeliverJob(queues: Queues, runId: string): Promise<void> {
  const id = jobCatalog['report.deliver'].jobId({ runId });
  const existing = await queues.reports.getJob(id);
  if (existing && ((await existing.isFailed()) || (await existing.isCompleted())))
    await existing.remove().catch(() => {});
  await enqueue(queues, 'report.deliver', { runId });
}
