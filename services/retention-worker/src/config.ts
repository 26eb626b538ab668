// The retention worker's environment. METRICS_PORT defaults to 9465 here (the export worker uses 9464),
// so both run side by side on one machine with nothing set; each process reads its own value.
import { exportFileEnv, postgresEnv, redisEnv, retentionPassEnv, runtimeEnv, s3Env, workerEnv, z } from '@ax/config';

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
