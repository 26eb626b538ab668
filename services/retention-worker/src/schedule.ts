// The daily retention job scheduler, declared by every replica at boot: upserting the same stable id leaves
// exactly one scheduler, so replicas and restarts are harmless.
import { jobCatalog, type Queues } from '@ax/jobs';
import { DAILY_PASS, DAILY_PASS_PATTERN } from '@ax/retention';

/** Stable: BullMQ keys the scheduler by this id in Redis. Renaming it would leave the old one firing. */
export const RETENTION_SCHEDULER_ID = 'retention-daily';
export const RETENTION_PATTERN = DAILY_PASS_PATTERN;
export const RETENTION_TZ = DAILY_PASS.timezone;

export async function declareRetentionSchedule(queues: Pick<Queues, 'retention'>): Promise<void> {
  await queues.retention.upsertJobScheduler(
    RETENTION_SCHEDULER_ID,
    { pattern: RETENTION_PATTERN, tz: RETENTION_TZ },
    { name: 'retention.run', data: {}, opts: jobCatalog['retention.run'].options },
  );
}

/** With RETENTION_ENABLED=false the scheduler is removed, so no replica keeps receiving daily jobs. */
export async function removeRetentionSchedule(queues: Pick<Queues, 'retention'>): Promise<void> {
  await queues.retention.removeJobScheduler(RETENTION_SCHEDULER_ID);
}
