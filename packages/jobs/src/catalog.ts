// The job catalog: every job name → its queue, payload schema and default options.
// Queue and job names are stored in Redis: renaming one needs a migration of queued jobs.
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

export const QUEUE = {
  exports: 'exports',
  reports: 'reports',
  retention: 'retention',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

const retried = (attempts: number, delay: number): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
});

export const jobCatalog = {
  /** Run one export: query → encode → S3 → result row. */
  'export.run': {
    queue: QUEUE.exports,
    schema: z.object({ exportId: z.uuid() }).strict(),
    options: retried(5, 2000),
    jobId: (p: { exportId: string }) => `export-${p.exportId}`,
  },
  /** A schedule's period is complete: create its run (once) and its export. */
  'report.trigger': {
    queue: QUEUE.reports,
    schema: z.object({ scheduleId: z.uuid() }).strict(),
    options: retried(8, 5000),
    jobId: undefined,
  },
  /** Send a finished run's e-mails, one delivery row per recipient. */
  'report.deliver': {
    queue: QUEUE.reports,
    schema: z.object({ runId: z.uuid() }).strict(),
    options: retried(8, 5000),
    jobId: (p: { runId: string }) => `deliver-${p.runId}`,
  },
  /** The daily retention pass. */
  'retention.run': {
    queue: QUEUE.retention,
    schema: z.object({ now: z.iso.date().optional(), dryRun: z.boolean().optional() }).strict(),
    options: retried(5, 60_000),
    jobId: undefined,
  },
  /** Delete export files past EXPORT_FILE_TTL_DAYS and mark their exports expired (hourly, by the retention worker). */
  'files.expire': {
    queue: QUEUE.retention,
    schema: z.object({}).strict(),
    options: retried(5, 30_000),
    jobId: undefined,
  },
} as const;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
export type PayloadOf<N extends JobName> = z.infer<JobCatalog[N]['schema']>;
export type JobsOf<Q extends QueueName> = { [N in JobName]: JobCatalog[N]['queue'] extends Q ? N : never }[JobName];
