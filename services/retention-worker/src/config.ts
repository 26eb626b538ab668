// The retention worker's environment. METRICS_PORT defaults to 9465 here (the export worker uses 9464),
// so both run side by side on one machine with nothing set; each process reads its own value.
import { exportFileEnv, postgresEnv, redisEnv, retentionEnv, runtimeEnv, s3Env, workerEnv, z } from '@ax/config';

/** What a pass reads from the environment, shared by the worker and the CLI so both run the same pass. */
export const retentionPassEnv = {
  ...retentionEnv,
  // Batch size of the boundary-month and plain-table deletes: each batch is one short transaction.
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  // How long one DDL or delete may wait for a lock before giving way (and retrying): keeps inserts unblocked.
  RETENTION_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  RETENTION_LOCK_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  // Month partitions kept ready beyond the current month.
  RETENTION_FUTURE_MONTHS: z.coerce.number().int().min(3).max(24).default(3),
};

export const retentionWorkerEnv = {
  ...postgresEnv,
  ...redisEnv,
  // The hourly export-file expiry deletes objects: the file store and the files' lifetime.
  ...s3Env,
  ...exportFileEnv,
  ...runtimeEnv,
  ...retentionPassEnv,
  METRICS_HOST: workerEnv.METRICS_HOST,
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  // How often each replica re-declares the daily scheduler (Redis may have lost it) and checks for a missed day.
  RETENTION_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
};

type PassEnv = z.infer<z.ZodObject<typeof retentionPassEnv>>;

export const passOptionsFrom = (c: PassEnv) => ({
  retentionMonths: c.RETENTION_MONTHS,
  batchSize: c.RETENTION_BATCH_SIZE,
  lockTimeoutMs: c.RETENTION_LOCK_TIMEOUT_MS,
  lockAttempts: c.RETENTION_LOCK_ATTEMPTS,
  futureMonths: c.RETENTION_FUTURE_MONTHS,
});
